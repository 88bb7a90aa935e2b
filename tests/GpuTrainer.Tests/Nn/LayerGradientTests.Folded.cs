using GpuTrainer.Compute;
using GpuTrainer.Nn;
using GpuTrainer.Tests.Reference;
using Xunit;

namespace GpuTrainer.Tests.Nn;

/// <summary>
/// The same finite-difference check through small models whose ReLU backward moves into the next layer (see
/// <see cref="Layer.ActivationFoldedDownstream"/>): Linear + ReLU into Linear (the GEMM epilogue's mask), Conv2d + ReLU
/// into MaxPool2d (the pool backward's mask) and Conv2d + ReLU across Flatten into Linear. With L = sum(y * r) the
/// gradients of every parameter, the first layer's included, must match central differences of the model's forward.
/// </summary>
public abstract partial class LayerGradientTests
{
    public static TheoryData<string> FoldedModels => new() { "linear-relu-linear", "conv-relu-maxpool", "conv-relu-flatten-linear" };

    private static (SampleShape Input, int Batch, Layer[] Layers) BuildModel(string name) => name switch
    {
        "linear-relu-linear" => (SampleShape.Flat(7), 3, [new Linear(7, 5, Activation.Relu), new Linear(5, 4)]),
        "conv-relu-maxpool" => (new SampleShape(2, 6, 5), 2, [new Conv2d(2, 3, 3, padding: 1, activation: Activation.Relu), new MaxPool2d(2)]),
        "conv-relu-flatten-linear" => (new SampleShape(1, 5, 4), 2,
            [new Conv2d(1, 2, 3, padding: 1, activation: Activation.Relu), new Flatten(), new Linear(2 * 5 * 4, 3)]),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory]
    [MemberData(nameof(FoldedModels))]
    public void Gradients_with_the_relu_backward_folded_into_the_next_layer_match_finite_differences(string name)
    {
        var (inputShape, batch, layers) = BuildModel(name);
        using var model = new Model(Backend, inputShape, batch, layers);
        Assert.True(layers[0].ActivationFoldedDownstream, $"{name}: the first layer's ReLU backward is not folded into the next layer.");
        CheckModelGradients(model, batch, name, seed: 4);
    }

    /// <summary>
    /// With L = sum(y * r) over the model's output on a fixed random batch, every parameter's gradient from Backward must
    /// match central differences of the model's forward (inputs, parameters and r drawn from seeds seed .. seed + 2).
    /// </summary>
    private void CheckModelGradients(Model model, int batch, string what, int seed)
    {
        int inSize = batch * model.InputShape.Size, outSize = batch * model.OutputShape.Size;
        using var io = Backend.Allocate(inSize + outSize);
        Tensor xt = io.Slice(0, inSize), dyt = io.Slice(inSize, outSize);
        Backend.Upload(TestData.Uniform(inSize, seed), xt);
        var parameters = TestData.Uniform(model.ParameterCount, seed + 1, -0.5f, 0.5f);
        var r = TestData.Uniform(outSize, seed + 2);

        double Loss(float[] weights)
        {
            model.WriteParameters(0, weights);
            var y = new float[outSize];
            Backend.Download(model.Forward(xt, batch), y);
            return y.Select((v, i) => (double)v * r[i]).Sum();
        }

        var center = Loss(parameters);
        Backend.Upload(r, dyt);
        model.Backward(xt, dyt, batch);
        var analytic = new float[model.ParameterCount];
        Backend.Download(model.Gradients.All, analytic);

        // Through a ReLU AND a max-pool, a weight's step crosses kinks whose second difference can stay under 1e-4 and
        // still move the central difference by up to 5e-3; 1e-5 keeps that below 5e-4, inside the tolerance.
        CompareWithNumeric(parameters, analytic, Loss, center, $"{what} dParams", kink: 1e-5);
    }
}
