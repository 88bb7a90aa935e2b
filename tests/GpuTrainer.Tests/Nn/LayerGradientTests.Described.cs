using GpuTrainer.Compute;
using GpuTrainer.Nn;
using GpuTrainer.Tests.Reference;
using Xunit;

namespace GpuTrainer.Tests.Nn;

/// <summary>
/// The finite-difference check through whole models built from descriptions (<see cref="ModelDescription"/>) on
/// 3-channel images: strided and padded convolutions, a ReLU fused into a conv whose next layer (average pooling)
/// cannot fold its backward, a stand-alone ReLU after a pool, and the cifar-cnn preset's shape at a small size.
/// </summary>
public abstract partial class LayerGradientTests
{
    public static TheoryData<string> DescribedModels => new()
    {
        "conv 4 3 stride=2 padding=1; relu; avgpool 2; flatten; linear 3",
        "conv 3 kernel=3 padding=1; maxpool 2 stride=1; relu; avgpool 3 stride=2; linear 5; relu; linear 3",
        "conv 4 3 padding=1; relu; maxpool 2; conv 5 3 padding=1; relu; maxpool 2; flatten; linear 6; relu; linear 3",
    };

    [Theory]
    [MemberData(nameof(DescribedModels))]
    public void Gradients_of_described_models_on_three_channel_images_match_finite_differences(string description)
    {
        var (inputShape, batch) = (new SampleShape(3, 8, 8), 2);
        var layers = ModelDescription.Resolve(description).Build(inputShape, 3);
        using var model = new Model(Backend, inputShape, batch, layers);
        int inSize = batch * inputShape.Size, outSize = batch * model.OutputShape.Size;
        using var io = Backend.Allocate(inSize + outSize);
        Tensor xt = io.Slice(0, inSize), dyt = io.Slice(inSize, outSize);
        Backend.Upload(TestData.Uniform(inSize, 7), xt);
        var parameters = TestData.Uniform(model.ParameterCount, 8, -0.5f, 0.5f);
        var r = TestData.Uniform(outSize, 9);

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
        CompareWithNumeric(parameters, analytic, Loss, center, $"{description} dParams", kink: 1e-5);
    }
}
