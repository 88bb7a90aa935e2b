using System.Text.Json;
using GpuTrainer.Reports;
using Xunit;

namespace GpuTrainer.Tests.Reports;

/// <summary>The JSON a report.html carries (what its script draws), and the checks every page must pass.</summary>
internal static class PageData
{
    private const string Open = "<script id=\"report-data\" type=\"application/json\">";

    public static JsonElement Read(string path)
    {
        var html = File.ReadAllText(path);
        Assert.StartsWith("<!doctype html>", html, StringComparison.Ordinal);
        Assert.Contains("content=\"default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script src", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<link", html, StringComparison.Ordinal);
        var start = html.IndexOf(Open, StringComparison.Ordinal) + Open.Length;
        var json = html[start..html.IndexOf("</script>", start, StringComparison.Ordinal)];
        return JsonDocument.Parse(json).RootElement.Clone();
    }

    public static string[] Statuses(JsonElement page) => [.. page.GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("status").GetString()!)];

    public static string PathIn(string folder) => Path.Combine(folder, ReportPage.FileName);
}
