using System.Diagnostics;
using GpuTrainer.Reports;
using GpuTrainer.Tests.Training;
using Xunit;

namespace GpuTrainer.Tests.Reports;

/// <summary>
/// A fact that needs to hide the machine's fonts: root and util-linux's unshare (a private mount namespace with an empty
/// tmpfs over every font folder). Skipped visibly elsewhere; CI runs as root.
/// </summary>
public sealed class NoFontsFactAttribute : FactAttribute
{
    public NoFontsFactAttribute()
    {
        if (!OperatingSystem.IsLinux() || Environment.UserName != "root" || !File.Exists("/usr/bin/unshare"))
        {
            Skip = "Hiding the fonts needs Linux, root and /usr/bin/unshare.";
        }
    }
}

/// <summary>The PNG plots and the page come out with labels on a machine with no fonts: the plots' font is embedded.</summary>
public sealed class NoFontsTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [NoFontsFact]
    public void TheCliDrawsLabelledPlotsAndWritesThePageWithEveryFontFolderHidden()
    {
        var data = TinyMnist.Write(Directory.CreateDirectory(_temp.File("data")).FullName);
        var cli = Path.Combine(AppContext.BaseDirectory, "GpuTrainer.Cli.dll");
        var hide = string.Join(" ", new[] { "/usr/share/fonts", "/usr/local/share/fonts", "/root/.fonts", "/root/.local/share/fonts" }
            .Select(d => $"if [ -d {d} ]; then mount -t tmpfs none {d}; fi;"));
        var script =
            $"set -e; {hide} test -z \"$(find /usr/share/fonts /usr/local/share/fonts -type f 2>/dev/null)\"; export FONTCONFIG_FILE=/dev/null; " +
            $"dotnet {cli} lr-find --steps 40 --batch 16 --device cpu --data {data} --out {_temp.File("lr")}; " +
            $"dotnet {cli} run --epochs 1 --batch 16 --device cpu --data {data} --out {_temp.File("run")}";
        var start = new ProcessStartInfo("/usr/bin/unshare", ["--mount", "--propagation", "private", "sh", "-c", script]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}: {error}{output.Result}");

        var png = PngImage.Read(Path.Combine(_temp.File("lr"), "lr-find.png"));
        Assert.True(png.CountDark(0, 0, png.Width, 36) > 150, "the title's text is drawn");
        Assert.True(png.GreyLevels(0, 0, png.Width, 36) > 10, "and anti-aliased");
        Assert.True(png.CountDark(0, png.Height - 30, png.Width, 30) > 150, "the x label's text is drawn");
        var page = File.ReadAllText(Path.Combine(_temp.File("run"), ReportPage.FileName));
        Assert.Contains("uPlot", page, StringComparison.Ordinal);
        Assert.Contains("\"stepLoss\":[", page, StringComparison.Ordinal);
    }
}
