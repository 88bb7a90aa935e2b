using GpuTrainer.Compute.Reference;
using GpuTrainer.Tests.Reference;
using Xunit;

namespace GpuTrainer.Tests.Golden;

/// <summary>
/// The committed LeNet-5 fixture is complete and self-consistent, and the reader rejects damaged files
/// with a message that names the damage.
/// </summary>
public sealed class GoldenFixtureTests
{
    private const int Parameters = 61706, Batch = 5, Classes = 10, Steps = 4;

    private static readonly IReadOnlyDictionary<string, (int[] Shape, float[] Data)> Fixture = GoldenFixture.Load(GoldenFixture.LeNetPath);

    public static TheoryData<string, int[]> ExpectedTensors => new()
    {
        { "input", [Batch, 1, 28, 28] },
        { "labels", [Batch] },
        { "params.init", [Parameters] },
        { "logits", [Batch, Classes] },
        { "loss", [1] },
        { "grads", [Parameters] },
        { "meta.numel", [10] },
        { "meta.fan_in", [10] },
        { "sgd.losses", [Steps] },
        { "sgd.params", [Parameters] },
        { "sgd_nesterov.losses", [Steps] },
        { "sgd_nesterov.params", [Parameters] },
        { "adam.losses", [Steps] },
        { "adam.params", [Parameters] },
        { "adamw.losses", [Steps] },
        { "adamw.params", [Parameters] },
    };

    [Theory]
    [MemberData(nameof(ExpectedTensors))]
    public void Fixture_holds_the_tensor_with_its_shape(string name, int[] shape)
    {
        Assert.True(Fixture.ContainsKey(name), $"the fixture has no tensor '{name}'");
        Assert.Equal(shape, Fixture[name].Shape);
        Assert.All(Fixture[name].Data, v => Assert.True(float.IsFinite(v), $"'{name}' holds {v}"));
    }

    [Fact]
    public void Fixture_holds_nothing_else()
    {
        Assert.Equal(ExpectedTensors.Select(row => (string)row[0]).Order(), Fixture.Keys.Order());
    }

    [Fact]
    public void Loss_is_the_mean_cross_entropy_of_the_logits_in_float64()
    {
        var labels = Fixture["labels"].Data;
        Assert.All(labels, l => Assert.InRange(l, 0f, Classes - 1));
        using var reference = new ReferenceBackend();
        var stats = reference.Allocate(2).All;
        reference.SoftmaxCrossEntropy(
            reference.Put(Fixture["logits"].Data), reference.Put(labels), Batch, Classes, 1f, reference.Allocate(Batch * Classes).All, stats);

        TestData.AssertClose([reference.Read(stats)[0] / Batch], Fixture["loss"].Data, 1e-6, 1e-6, "loss");
    }

    [Theory]
    [InlineData("sgd")]
    [InlineData("sgd_nesterov")]
    [InlineData("adam")]
    [InlineData("adamw")]
    public void Each_run_starts_at_the_initial_loss_and_moves_the_parameters(string run)
    {
        Assert.Equal(Fixture["loss"].Data[0], Fixture[run + ".losses"].Data[0]);
        Assert.True(Fixture[run + ".losses"].Data[^1] < Fixture["loss"].Data[0], $"{run} did not lower the loss");
        Assert.NotEqual(Fixture["params.init"].Data, Fixture[run + ".params"].Data);
    }

    [Fact]
    public void Initial_parameters_lie_within_the_default_init_bounds_per_fan_in()
    {
        var numel = Fixture["meta.numel"].Data;
        var fanIn = Fixture["meta.fan_in"].Data;
        Assert.Equal(Parameters, (int)numel.Sum());
        var offset = 0;
        for (var p = 0; p < numel.Length; p++)
        {
            var slice = Fixture["params.init"].Data.AsSpan(offset, (int)numel[p]);
            var bound = 1 / Math.Sqrt(fanIn[p]);
            var largest = 0.0;
            foreach (var v in slice)
            {
                largest = Math.Max(largest, Math.Abs(v));
            }

            Assert.True(largest <= bound, $"parameter tensor {p}: |value| {largest} exceeds 1/sqrt(fan_in) = {bound}");
            offset += slice.Length;
        }
    }

    [Fact]
    public void Load_rejects_a_wrong_magic_number()
    {
        var bytes = File.ReadAllBytes(GoldenFixture.LeNetPath);
        bytes[0] ^= 0xFF;

        var error = LoadDamaged(bytes);

        Assert.Contains("magic", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_rejects_an_unknown_version()
    {
        var bytes = File.ReadAllBytes(GoldenFixture.LeNetPath);
        bytes[4] = 2;

        var error = LoadDamaged(bytes);

        Assert.Contains("version is 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_rejects_a_truncated_file()
    {
        var bytes = File.ReadAllBytes(GoldenFixture.LeNetPath);

        var error = LoadDamaged(bytes[..^3]);

        Assert.Contains("truncated", error.Message, StringComparison.Ordinal);
        Assert.Contains("adamw.params", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_rejects_trailing_bytes()
    {
        var bytes = File.ReadAllBytes(GoldenFixture.LeNetPath);

        var error = LoadDamaged([.. bytes, 0, 0]);

        Assert.Contains("2 unexpected bytes", error.Message, StringComparison.Ordinal);
    }

    private static InvalidDataException LoadDamaged(byte[] bytes)
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(path, bytes);
            return Assert.Throws<InvalidDataException>(() => GoldenFixture.Load(path));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
