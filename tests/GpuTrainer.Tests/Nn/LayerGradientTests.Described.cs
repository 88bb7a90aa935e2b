using GpuTrainer.Nn;
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
        CheckModelGradients(model, batch, description, seed: 7);
    }
}
