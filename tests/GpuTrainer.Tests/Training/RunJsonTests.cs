using System.Text.Json;
using GpuTrainer.Training;
using Xunit;

namespace GpuTrainer.Tests.Training;

/// <summary>Every JSON file has camelCase keys; files written before (PascalCase) still read back, so old study folders resume.</summary>
public sealed class RunJsonTests
{
    /// <summary>Asserts that every key of every .json file under <paramref name="folder"/> starts lower-case; returns how many files it read.</summary>
    public static int AssertCamelCaseKeys(string folder)
    {
        var files = Directory.GetFiles(folder, "*.json", SearchOption.AllDirectories);
        foreach (var file in files)
        {
            using var document = JsonDocument.Parse(File.ReadAllText(file));
            var keys = Keys(document.RootElement).ToList();
            Assert.NotEmpty(keys);
            Assert.All(keys, key => Assert.True(char.IsLower(key[0]), $"{file}: key '{key}'"));
        }

        return files.Length;
    }

    [Fact]
    public void A_summary_is_written_with_camel_case_keys_and_a_pascal_case_one_still_reads()
    {
        var summary = new RunSummary("cpu", "data", 10, 5, "adam", "lr 0.1, fixed per epoch", 1, 4, 1, "out", 0.5, 1, 0.5, 1.5, 2.5, 3,
            [new EpochResult(1, 2.5, 1.5, 0.5, 0.1, 100, TimeSpan.FromSeconds(3))]);

        var text = RunJson.Serialize(summary);
        using var document = JsonDocument.Parse(text);

        Assert.Contains("bestAccuracy", Keys(document.RootElement));
        Assert.Contains("imagesPerSecond", Keys(document.RootElement));
        Assert.All(Keys(document.RootElement), key => Assert.True(char.IsLower(key[0]), key));
        using var temp = new TempDirectory();
        File.WriteAllText(temp.File("old.json"), text.Replace("\"bestAccuracy\"", "\"BestAccuracy\"", StringComparison.Ordinal));
        var read = RunJson.Read<RunSummary>(temp.File("old.json"));
        Assert.Equal(0.5, read.BestAccuracy);
        Assert.Equal(summary.History.Single(), read.History.Single());
    }

    private static IEnumerable<string> Keys(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => e.EnumerateObject().SelectMany(p => Keys(p.Value).Prepend(p.Name)),
        JsonValueKind.Array => e.EnumerateArray().SelectMany(Keys),
        _ => [],
    };
}
