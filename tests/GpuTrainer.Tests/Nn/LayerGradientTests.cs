using GpuTrainer.Compute;
using GpuTrainer.Nn;
using GpuTrainer.Tests.Reference;
using Xunit;

namespace GpuTrainer.Tests.Nn;

/// <summary>
/// Finite-difference gradient check for every layer: with L = sum(y * r) for a fixed random r,
/// the analytic dL/dparams and dL/dx from Backward (dy = r) must match central differences
/// (L(v + h) - L(v - h)) / 2h evaluated in float64 from the layer's float32 forward pass.
/// Every layer is piecewise linear in each single input, so where no ReLU kink or max-pool tie lies
/// within h the central difference is exact up to rounding; coordinates whose second difference shows
/// a kink are skipped, and at least three quarters of them must be checkable.
/// Each backend runs the class through a sealed subclass.
/// </summary>
public abstract partial class LayerGradientTests
{
    private const double Step = 1e-2;

    protected abstract IBackend Backend { get; }

    public static TheoryData<string> Layers => new()
    {
        "conv", "conv-strided-relu", "conv-3ch-stride2-pad1", "linear-relu", "linear", "maxpool", "avgpool", "avgpool-overlap",
        "relu", "flatten",
    };

    private static (Layer Layer, SampleShape Input, int Batch) Build(string name) => name switch
    {
        "conv" => (new Conv2d(2, 3, 3, padding: 1), new SampleShape(2, 5, 6), 2),
        "conv-strided-relu" => (new Conv2d(3, 2, 3, stride: 2, padding: 1, activation: Activation.Relu), new SampleShape(3, 7, 5), 2),
        "conv-3ch-stride2-pad1" => (new Conv2d(3, 4, 3, stride: 2, padding: 1), new SampleShape(3, 8, 7), 2),
        "linear-relu" => (new Linear(7, 5, Activation.Relu), SampleShape.Flat(7), 3),
        "linear" => (new Linear(2 * 3 * 2, 4), new SampleShape(2, 3, 2), 2),
        "maxpool" => (new MaxPool2d(2), new SampleShape(2, 6, 4), 2),
        "avgpool" => (new AvgPool2d(2), new SampleShape(3, 6, 4), 2),
        "avgpool-overlap" => (new AvgPool2d(3, 2), new SampleShape(2, 7, 5), 2),
        "relu" => (new Relu(), new SampleShape(3, 2, 2), 2),
        "flatten" => (new Flatten(), new SampleShape(2, 2, 3), 2),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory]
    [MemberData(nameof(Layers))]
    public void Analytic_gradients_match_finite_differences(string name)
    {
        var (layer, inputShape, batch) = Build(name);
        var outputShape = layer.Connect(inputShape);
        int inSize = batch * inputShape.Size, outSize = batch * outputShape.Size, paramCount = layer.ParameterCount;

        using var arena = Backend.Allocate(Math.Max(2 * paramCount, 1));
        layer.Bind(arena.Slice(0, paramCount), arena.Slice(paramCount, paramCount));
        var x = TestData.Uniform(inSize, 1);
        var parameters = TestData.Uniform(paramCount, 2, -0.5f, 0.5f);
        var r = TestData.Uniform(outSize, 3);

        using var io = Backend.Allocate(inSize * 2 + outSize * 2);
        Tensor xt = io.Slice(0, inSize), dxt = io.Slice(inSize, inSize);
        Tensor yt = io.Slice(2 * inSize, outSize), dyt = io.Slice(2 * inSize + outSize, outSize);
        if (layer.AliasesInput)
        {
            (yt, dyt) = (xt, dxt);
        }

        double Loss(float[] input, float[] weights)
        {
            Backend.Upload(input, xt);
            Backend.Upload(weights, arena.Slice(0, paramCount));
            layer.Forward(Backend, xt, yt, batch);
            var y = new float[outSize];
            Backend.Download(yt, y);
            return y.Select((v, i) => (double)v * r[i]).Sum();
        }

        Loss(x, parameters);
        Backend.Upload(r, dyt);
        layer.Backward(Backend, xt, yt, dyt, layer.AliasesInput ? default : dxt, batch);
        var dParams = new float[paramCount];
        Backend.Download(arena.Slice(paramCount, paramCount), dParams);
        var dx = new float[inSize];
        Backend.Download(layer.AliasesInput ? dyt : dxt, dx);
        if (layer.AliasesInput)
        {
            dx = r;   // Flatten: the gradient is dy itself, through the shared memory.
        }

        var center = Loss(x, parameters);
        CompareWithNumeric(parameters, dParams, p => Loss(x, p), center, $"{name} dParams");
        CompareWithNumeric(x, dx, input => Loss(input, parameters), center, $"{name} dx");
    }

    // A kink at distance d inside the step shifts the central difference by (second difference) / (2 * Step), so
    // `kink` (the largest second difference taken as kink-free) bounds that error at kink / 2e-2.
    private static void CompareWithNumeric(float[] values, float[] analytic, Func<float[], double> loss, double center, string what, double kink = 1e-4)
    {
        var expected = new List<double>();
        var actual = new List<float>();
        for (var i = 0; i < values.Length; i++)
        {
            var saved = values[i];
            values[i] = (float)(saved + Step);
            var plus = loss(values);
            values[i] = (float)(saved - Step);
            var minus = loss(values);
            values[i] = saved;
            if (Math.Abs(plus - 2 * center + minus) > kink)
            {
                continue;   // a kink lies within the step: the central difference is not the derivative
            }

            expected.Add((plus - minus) / (2 * Step));
            actual.Add(analytic[i]);
        }

        Assert.True(expected.Count * 4 >= values.Length * 3, $"{what}: only {expected.Count} of {values.Length} coordinates were free of kinks.");
        TestData.AssertClose(expected.ToArray(), actual.ToArray(), 1e-3, 1e-3, what);
    }
}
