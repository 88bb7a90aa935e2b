using GpuTrainer.Compute;
using GpuTrainer.Compute.Cpu;
using GpuTrainer.Nn;
using Xunit;

namespace GpuTrainer.Tests.Nn;

/// <summary>The model description format: presets, parsing, fusion, shape and class checks, each failure one sentence.</summary>
public sealed class ModelDescriptionTests
{
    // Today's LeNet-5, written out by hand as it was before descriptions existed.
    private static Layer[] HandWrittenLeNet5() =>
    [
        new Conv2d(1, 6, 5, padding: 2, activation: Activation.Relu),
        new MaxPool2d(2),
        new Conv2d(6, 16, 5, activation: Activation.Relu),
        new MaxPool2d(2),
        new Flatten(),
        new Linear(400, 120, Activation.Relu),
        new Linear(120, 84, Activation.Relu),
        new Linear(84, 10),
    ];

    private static string Signature(Layer layer) => layer switch
    {
        Conv2d c => $"conv {c.InChannels}->{c.OutChannels} k{c.KernelSize} s{c.Stride} p{c.Padding} {c.Activation}",
        MaxPool2d m => $"maxpool k{m.KernelSize} s{m.Stride} p{m.Padding}",
        AvgPool2d a => $"avgpool k{a.KernelSize} s{a.Stride} p{a.Padding}",
        Linear l => $"linear {l.InFeatures}->{l.OutFeatures} {l.Activation}",
        _ => layer.GetType().Name,
    };

    [Fact]
    public void The_lenet5_preset_builds_exactly_the_hand_written_lenet5_with_the_same_initial_parameters()
    {
        var built = ModelDescription.Resolve("lenet5").Build(LeNet5.InputShape(), 10);
        Assert.Equal(HandWrittenLeNet5().Select(Signature), built.Select(Signature));

        using var backend = new CpuBackend(1);
        using var described = ModelDescription.LeNet5.Create(backend, LeNet5.InputShape(), 10, 4, [3]);
        using var manual = new Model(backend, LeNet5.InputShape(), 4, HandWrittenLeNet5());
        manual.Initialize(0, 3);
        Assert.Equal(LeNet5.ParameterCount, described.ParameterCount);
        Assert.Equal(manual.ReadParameters().Select(BitConverter.SingleToInt32Bits), described.ReadParameters().Select(BitConverter.SingleToInt32Bits));
    }

    [Fact]
    public void The_cifar_preset_takes_3x32x32_images_through_two_blocks_to_ten_classes()
    {
        var plan = ModelDescription.Resolve("CIFAR-CNN").Plan(new SampleShape(3, 32, 32), 10);
        Assert.Equal(
            ["(32,32,32)", "(32,32,32)", "(32,16,16)", "(64,16,16)", "(64,16,16)", "(64,8,8)", "(4096,1,1)", "(256,1,1)", "(256,1,1)", "(10,1,1)"],
            plan.Select(p => p.Output.ToString()));
        Assert.Equal(896 + 18_496 + 1_048_832 + 2_570, plan.Sum(p => p.Parameters));
        var layers = ModelDescription.Resolve("cifar-cnn").Build(new SampleShape(3, 32, 32), 10);
        Assert.Equal(
            ["conv 3->32 k3 s1 p1 Relu", "maxpool k2 s2 p0", "conv 32->64 k3 s1 p1 Relu", "maxpool k2 s2 p0", "Flatten", "linear 4096->256 Relu", "linear 256->10 Identity"],
            layers.Select(Signature));
    }

    [Fact]
    public void A_relu_fuses_only_into_a_conv_or_linear_right_before_it()
    {
        var layers = ModelDescription.Resolve("conv 4 3; relu; relu; avgpool 2; relu; flatten; relu; linear 10").Build(new SampleShape(1, 6, 6), 10);
        Assert.Equal(["conv 1->4 k3 s1 p0 Relu", "Relu", "avgpool k2 s2 p0", "Relu", "Flatten", "Relu", "linear 16->10 Identity"], layers.Select(Signature));
    }

    [Fact]
    public void Positional_and_named_arguments_comments_and_line_breaks_give_one_canonical_text_that_reads_back()
    {
        var a = ModelDescription.Resolve("conv 8 3 2 1 # a strided block\nRELU\n\navgpool 2 1; flatten; linear 10");
        var b = ModelDescription.Resolve("conv out=8 padding=1 stride=2 kernel=3; relu; avgpool kernel=2 stride=1; flatten; linear out=10");
        Assert.Equal("conv 8 kernel=3 stride=2 padding=1; relu; avgpool 2 stride=1; flatten; linear 10", a.Text);
        Assert.Equal(a.Text, b.Text);
        Assert.Equal(a.Text, ModelDescription.Resolve(a.Text).Text);
        Assert.Equal("lenet5", ModelDescription.Resolve(ModelDescription.LeNet5.Text).Name);
        Assert.Equal("maxpool 3 stride=3", ModelDescription.Resolve("maxpool 3; linear 10").Layers[0].ToString());
    }

    [Fact]
    public void A_file_holds_a_description()
    {
        using var temp = new TempDirectory();
        var path = temp.File("tiny.model");
        File.WriteAllText(path, "# tiny\nconv 4 kernel=3\nrelu\nflatten\nlinear 10\n");
        var model = ModelDescription.Resolve(path);
        Assert.Equal("tiny.model", model.Name);
        Assert.Equal(4 * 9 + 4 + (4 * 26 * 26 * 10) + 10, model.ParameterCount(new SampleShape(1, 28, 28), 10));
    }

    [Theory]
    [InlineData("nosuch", "Unknown model 'nosuch'; use a preset (lenet5, cifar-cnn)")]
    [InlineData("conc 6; linear 10", "Layer 1 of the model description, 'conc 6', is an unknown layer; use conv, maxpool, avgpool, relu, flatten, linear.")]
    [InlineData("conv 6 kernal=3; linear 10", "has an unknown argument 'kernal'; conv takes out, kernel, stride, padding.")]
    [InlineData("conv 6; linear 10", "'conv 6', lacks its kernel")]
    [InlineData("linear; linear 10", "'linear', lacks its out")]
    [InlineData("conv 6 3 1 0 2; linear 10", "has more values than its arguments (out, kernel, stride, padding).")]
    [InlineData("relu 2; linear 10", "'relu 2', takes no arguments.")]
    [InlineData("conv 6 3 kernel=3; linear 10", "gives kernel twice.")]
    [InlineData("conv 0 3; linear 10", "has out '0', which must be a whole number from 1 to")]
    [InlineData("conv 6 3 padding=-1; linear 10", "has padding '-1', which must be a whole number from 0 to")]
    [InlineData("maxpool x; linear 10", "has kernel 'x', which must be a whole number")]
    [InlineData(" # nothing\n;", "The model description lists no layers.")]
    public void A_bad_description_is_one_sentence(string text, string fragment)
    {
        var e = Assert.ThrowsAny<ArgumentException>(() => ModelDescription.Resolve(text));
        Assert.Contains(fragment, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Theory]
    [InlineData("maxpool 2; maxpool 2; maxpool 2; maxpool 2; maxpool 2; linear 10", "Layer 5 of the model description (maxpool 2 stride=2) would shrink the image below 1x1: its 2x2 window is larger than its 1x1 (padded) input.")]
    [InlineData("conv 4 kernel=29; linear 10", "Layer 1 of the model description (conv 4 kernel=29 stride=1 padding=0) would shrink the image below 1x1")]
    [InlineData("conv 4 3; flatten; linear 12", "The last layer of the model description (linear 12) gives 12 outputs, but the data has 10 classes; end the model with linear 10.")]
    [InlineData("conv 4 3; relu", "(relu) gives 2704 outputs, but the data has 10 classes")]
    [InlineData("linear 100000; linear 100000; linear 10", "Layer 2 of the model description (linear 100000) is too large")]
    public void A_model_that_does_not_suit_the_data_is_one_sentence(string text, string fragment)
    {
        var model = ModelDescription.Resolve(text);
        var e = Assert.ThrowsAny<ArgumentException>(() => model.Plan(new SampleShape(1, 28, 28), 10));
        Assert.Contains(fragment, e.Message, StringComparison.Ordinal);
    }
}
