using System.Globalization;
using GpuTrainer.Schedules;
using Xunit;
using Xunit.Abstractions;

namespace GpuTrainer.Tests.Schedules;

/// <summary>
/// Every schedule, built through <see cref="ScheduleFactory"/>, against the learning rates PyTorch 1.13's
/// lr_scheduler classes produced step by step (Fixtures/schedules.csv, from scripts/make_schedule_table.py).
/// PyTorch computes several schedules recursively (each lr from the previous one) where these use the closed
/// form; rounding then differs by a few ulps (largest measured: 1.1e-15 relative, cosine over 150 steps), so the
/// tolerance |diff| &lt;= 1e-15 + 1e-12 |lr| is tight enough to catch any off-by-one step or formula slip.
/// </summary>
public sealed class ScheduleTableTests(ITestOutputHelper output)
{
    private const double Atol = 1e-15, Rtol = 1e-12;

    private static readonly Dictionary<(string Schedule, string Params), List<(long Step, double Lr)>> Table = ReadTable();

    public static TheoryData<string, string> Cases
    {
        get
        {
            var cases = new TheoryData<string, string>();
            foreach (var (schedule, parameters) in Table.Keys)
            {
                cases.Add(schedule, parameters);
            }

            return cases;
        }
    }

    [Fact]
    public void Table_covers_every_schedule_with_and_without_warmup()
    {
        Assert.Equal(ScheduleFactory.Names.Order(), Table.Keys.Select(k => k.Schedule).Distinct().Order());
        Assert.Contains(Table.Keys, k => k.Params.Contains("WarmupSteps", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Schedule_matches_pytorch_at_every_step(string schedule, string parameters)
    {
        var rows = Table[(schedule, parameters)];
        var (baseLr, options) = ParseParams(parameters);
        var lr = ScheduleFactory.Create(schedule, baseLr, rows[^1].Step, options);

        var worstRelative = 0.0;
        foreach (var (step, expected) in rows)
        {
            var actual = lr.LearningRate(step);
            var diff = Math.Abs(actual - expected);
            Assert.True(diff <= Atol + Rtol * Math.Abs(expected), $"step {step}: PyTorch {expected:R}, got {actual:R}");
            worstRelative = Math.Max(worstRelative, expected == 0 ? diff : diff / Math.Abs(expected));
        }

        output.WriteLine($"{schedule} {parameters}: {rows.Count} steps, largest relative difference {worstRelative:G3}");
    }

    // base_lr goes to the factory; every other key names a ScheduleOptions property.
    private static (double BaseLr, ScheduleOptions Options) ParseParams(string parameters)
    {
        var baseLr = double.NaN;
        var options = new ScheduleOptions();
        foreach (var pair in parameters.Split(';'))
        {
            var (key, text) = (pair[..pair.IndexOf('=', StringComparison.Ordinal)], pair[(pair.IndexOf('=', StringComparison.Ordinal) + 1)..]);
            if (key == "base_lr")
            {
                baseLr = double.Parse(text, CultureInfo.InvariantCulture);
                continue;
            }

            var property = typeof(ScheduleOptions).GetProperty(key) ?? throw new InvalidDataException($"schedules.csv: unknown parameter '{key}'.");
            var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            object value = type == typeof(IReadOnlyList<long>) ? text.Split(' ').Select(long.Parse).ToArray()
                : type.IsEnum ? Enum.Parse(type, text)
                : Convert.ChangeType(text, type, CultureInfo.InvariantCulture);
            property.SetValue(options, value);
        }

        return (baseLr, options);
    }

    private static Dictionary<(string, string), List<(long, double)>> ReadTable()
    {
        var table = new Dictionary<(string, string), List<(long, double)>>();
        foreach (var line in File.ReadLines(Path.Combine(AppContext.BaseDirectory, "Fixtures", "schedules.csv")).Skip(1))
        {
            var fields = line.Split(',');
            var key = (fields[0], fields[1]);
            if (!table.TryGetValue(key, out var rows))
            {
                table[key] = rows = [];
            }

            rows.Add((long.Parse(fields[2], CultureInfo.InvariantCulture), double.Parse(fields[3], CultureInfo.InvariantCulture)));
        }

        return table;
    }
}
