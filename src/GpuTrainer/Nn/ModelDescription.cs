using System.Globalization;
using GpuTrainer.Compute;

namespace GpuTrainer.Nn;

/// <summary>
/// A model written as a short text: its layers in order, one per line or separated by ';', '#' starting a comment.
/// Each layer is a kind followed by its arguments, positional in the order below or named (name=value):
/// <code>
/// conv OUT [KERNEL [STRIDE [PADDING]]]   out channels; kernel (required), stride 1, padding 0
/// maxpool KERNEL [STRIDE]                stride defaults to the kernel
/// avgpool KERNEL [STRIDE]                (PyTorch's AvgPool2d, padding counted)
/// relu
/// flatten
/// linear OUT                              out features
/// </code>
/// e.g. "conv 32 kernel=3 padding=1; relu; maxpool 2; flatten; linear 10". The input shape and the class count come
/// from the data: each layer's input side is the previous layer's output, and the last layer must give one output per
/// class. A ReLU directly after a conv or linear is fused into it (their <c>activation</c> argument, one launch fewer),
/// so <see cref="Presets"/>' lenet5 builds exactly <see cref="LeNet5"/>'s layers. <see cref="Text"/> is the canonical
/// form (every argument named, layers joined by "; "), which checkpoints and study.json store and which
/// <see cref="Resolve"/> reads back.
/// </summary>
public sealed class ModelDescription
{
    /// <summary>The default model: LeNet-5.</summary>
    public const string DefaultName = "lenet5";

    /// <summary>The preset sized for CIFAR-10.</summary>
    public const string CifarName = "cifar-cnn";

    // How errors name a description given inline.
    private const string Inline = "the model description";

    private ModelDescription(string name, string label, IReadOnlyList<LayerSpec> layers)
    {
        (Name, Label, Layers) = (name, label, layers);
        Text = string.Join("; ", layers);
    }

    /// <summary>The presets: name, title, description.</summary>
    public static IReadOnlyList<(string Name, string Title, string Text)> Presets { get; } =
    [
        (DefaultName, "LeNet-5", """
            conv 6 kernel=5 padding=2
            relu
            maxpool 2
            conv 16 kernel=5
            relu
            maxpool 2
            flatten
            linear 120
            relu
            linear 84
            relu
            linear 10
            """),
        (CifarName, "CIFAR CNN", """
            conv 32 kernel=3 padding=1
            relu
            maxpool 2
            conv 64 kernel=3 padding=1
            relu
            maxpool 2
            flatten
            linear 256
            relu
            linear 10
            """),
    ];

    /// <summary>LeNet-5, the default.</summary>
    public static ModelDescription LeNet5 { get; } = Resolve(DefaultName);

    /// <summary>The preset name, file name, or "model" for an inline description.</summary>
    public string Name { get; }

    /// <summary>How logs name the model: a preset's title ("LeNet-5"), else <see cref="Name"/>.</summary>
    public string Label { get; }

    /// <summary>The layers in order, as written.</summary>
    public IReadOnlyList<LayerSpec> Layers { get; }

    /// <summary>The canonical description: every argument named, layers joined by "; ".</summary>
    public string Text { get; }

    public override string ToString() => Text;

    /// <summary>
    /// The model <paramref name="model"/> names: a preset (case-insensitive), a file holding a description, or a description
    /// inline (it starts with a layer's name: the form checkpoints store).
    /// </summary>
    /// <exception cref="ArgumentException">One sentence naming an unknown model, layer or argument, or a bad value.</exception>
    public static ModelDescription Resolve(string? model)
    {
        var spec = string.IsNullOrWhiteSpace(model) ? DefaultName : model.Trim();
        foreach (var preset in Presets)
        {
            if (preset.Name.Equals(spec, StringComparison.OrdinalIgnoreCase))
            {
                return Parse(preset.Text, preset.Name, preset.Title);
            }
        }

        if (File.Exists(spec))
        {
            var name = Path.GetFileName(spec);
            return Parse(File.ReadAllText(spec), name, name);
        }

        var first = spec.Split([' ', '\t', '\r', '\n', ';'], 2)[0].ToLowerInvariant();
        if (spec.Contains(';') || spec.Contains('\n') || Enum.GetValues<LayerKind>().Any(k => LayerSpec.KindName(k) == first))
        {
            var text = Parse(spec, Inline, "model");
            var same = Presets.FirstOrDefault(p => Parse(p.Text, p.Name, p.Title).Text == text.Text);
            return same.Name is null ? text : Parse(same.Text, same.Name, same.Title);
        }

        throw new ArgumentException(
            $"Unknown model '{spec}'; use a preset ({string.Join(", ", Presets.Select(p => p.Name))}) or a file that describes one.");
    }

    /// <summary>Parses a description; <paramref name="source"/> names it in errors.</summary>
    private static ModelDescription Parse(string text, string source, string label)
    {
        var layers = new List<LayerSpec>();
        foreach (var line in text.Split('\n'))
        {
            var content = line.Split('#')[0];
            foreach (var item in content.Split(';'))
            {
                var words = item.Split([' ', '\t', '\r'], StringSplitOptions.RemoveEmptyEntries);
                if (words.Length > 0)
                {
                    layers.Add(ParseLayer(words, $"Layer {layers.Count + 1} of {source}, '{string.Join(' ', words)}',"));
                }
            }
        }

        return layers.Count > 0
            ? new ModelDescription(source, label, layers)
            : throw new ArgumentException(source == Inline ? "The model description lists no layers." : $"The model file {source} lists no layers.");
    }

    private static LayerSpec ParseLayer(string[] words, string where)
    {
        var kinds = Enum.GetValues<LayerKind>();
        var kind = kinds.Where(k => LayerSpec.KindName(k) == words[0].ToLowerInvariant()).Cast<LayerKind?>().FirstOrDefault()
            ?? throw new ArgumentException($"{where} is an unknown layer; use {string.Join(", ", kinds.Select(LayerSpec.KindName))}.");
        var names = LayerSpec.ArgumentsOf(kind);
        var values = new int?[names.Count];
        var positional = 0;
        foreach (var word in words.Skip(1))
        {
            var equals = word.IndexOf('=', StringComparison.Ordinal);
            int index;
            if (equals < 0)
            {
                index = positional++;
                if (index >= names.Count)
                {
                    throw new ArgumentException(names.Count == 0
                        ? $"{where} takes no arguments."
                        : $"{where} has more values than its arguments ({string.Join(", ", names)}).");
                }
            }
            else
            {
                var name = word[..equals].ToLowerInvariant();
                index = names.ToList().IndexOf(name);
                if (index < 0)
                {
                    throw new ArgumentException(names.Count == 0
                        ? $"{where} takes no arguments."
                        : $"{where} has an unknown argument '{name}'; {LayerSpec.KindName(kind)} takes {string.Join(", ", names)}.");
                }
            }

            if (values[index] is not null)
            {
                throw new ArgumentException($"{where} gives {names[index]} twice.");
            }

            var value = equals < 0 ? word : word[(equals + 1)..];
            var least = names[index] == "padding" ? 0 : 1;
            values[index] = int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= least && number <= 1 << 20
                ? number
                : throw new ArgumentException($"{where} has {names[index]} '{value}', which must be a whole number from {least} to {1 << 20}.");
        }

        int Required(int i) => values[i] ?? throw new ArgumentException($"{where} lacks its {names[i]} ({LayerSpec.KindName(kind)} takes {string.Join(", ", names)}).");
        return kind switch
        {
            LayerKind.Conv => new LayerSpec(kind, Required(0), Required(1), values[2] ?? 1, values[3] ?? 0),
            LayerKind.MaxPool or LayerKind.AvgPool => new LayerSpec(kind, Kernel: Required(0), Stride: values[1] ?? values[0]!.Value),
            LayerKind.Linear => new LayerSpec(kind, Required(0)),
            _ => new LayerSpec(kind),
        };
    }

    /// <summary>One layer of a <see cref="Plan"/>: its line, output shape, parameters and forward FLOPs per image.</summary>
    public sealed record PlannedLayer(LayerSpec Spec, SampleShape Output, long Parameters, double Flops);

    /// <summary>
    /// Each layer's output shape, parameters and FLOPs per image (a multiply-add counts 2) on inputs of
    /// <paramref name="input"/>; checks that every layer fits its input and that the last gives <paramref name="classes"/> outputs.
    /// </summary>
    /// <exception cref="ArgumentException">One sentence naming the first layer that does not fit, or the class count.</exception>
    public IReadOnlyList<PlannedLayer> Plan(SampleShape input, int classes)
    {
        var planned = new List<PlannedLayer>();
        var shape = input;
        for (var i = 0; i < Layers.Count; i++)
        {
            var spec = Layers[i];
            var where = $"Layer {i + 1} of {Name} ({spec})";
            (SampleShape Output, long Parameters, double Flops) next;
            switch (spec.Kind)
            {
                case LayerKind.Conv:
                    var (oh, ow) = Window(shape, spec.Kernel, spec.Stride, spec.Padding, where);
                    var fanIn = (long)shape.C * spec.Kernel * spec.Kernel;
                    next = (new SampleShape(spec.Out, oh, ow), (fanIn * spec.Out) + spec.Out, 2.0 * fanIn * spec.Out * oh * ow);
                    break;
                case LayerKind.MaxPool or LayerKind.AvgPool:
                    var (ph, pw) = Window(shape, spec.Kernel, spec.Stride, 0, where);
                    next = (new SampleShape(shape.C, ph, pw), 0, (double)shape.C * ph * pw * spec.Kernel * spec.Kernel);
                    break;
                case LayerKind.Linear:
                    next = (SampleShape.Flat(spec.Out), ((long)shape.Size * spec.Out) + spec.Out, 2.0 * shape.Size * spec.Out);
                    break;
                case LayerKind.Flatten:
                    next = (SampleShape.Flat(shape.Size), 0, 0);
                    break;
                default:
                    next = (shape, 0, shape.Size);
                    break;
            }

            if ((long)next.Output.C * next.Output.H * next.Output.W > int.MaxValue || next.Parameters > int.MaxValue)
            {
                throw new ArgumentException($"{where} is too large: its output or its parameters pass 2^31 floats per image.");
            }

            planned.Add(new PlannedLayer(spec, next.Output, next.Parameters, next.Flops));
            shape = next.Output;
        }

        if (shape.Size != classes)
        {
            throw new ArgumentException(string.Create(
                CultureInfo.InvariantCulture,
                $"The last layer of {Name} ({Layers[^1]}) gives {shape.Size} outputs, but the data has {classes} classes; end the model with linear {classes}."));
        }

        if (planned.Sum(p => p.Parameters) > int.MaxValue)
        {
            throw new ArgumentException($"The model {Name} has more than 2^31 parameters.");
        }

        return planned;
    }

    /// <summary>The model's parameters per member on inputs of <paramref name="input"/> (checked by <see cref="Plan"/>).</summary>
    public long ParameterCount(SampleShape input, int classes) => Plan(input, classes).Sum(p => p.Parameters);

    /// <summary>
    /// A fresh, unconnected set of layers for inputs of <paramref name="input"/> (checked by <see cref="Plan"/>), a ReLU
    /// right after a conv or linear fused into it.
    /// </summary>
    public Layer[] Build(SampleShape input, int classes)
    {
        var planned = Plan(input, classes);
        var layers = new List<Layer>();
        var shape = input;
        for (var i = 0; i < Layers.Count; i++)
        {
            var spec = Layers[i];
            var fuse = spec.Kind is LayerKind.Conv or LayerKind.Linear && i + 1 < Layers.Count && Layers[i + 1].Kind == LayerKind.Relu;
            var activation = fuse ? Activation.Relu : Activation.Identity;
            layers.Add(spec.Kind switch
            {
                LayerKind.Conv => new Conv2d(shape.C, spec.Out, spec.Kernel, spec.Stride, spec.Padding, activation),
                LayerKind.MaxPool => new MaxPool2d(spec.Kernel, spec.Stride),
                LayerKind.AvgPool => new AvgPool2d(spec.Kernel, spec.Stride),
                LayerKind.Linear => new Linear(shape.Size, spec.Out, activation),
                LayerKind.Flatten => new Flatten(),
                _ => new Relu(),
            });
            shape = planned[i].Output;
            if (fuse)
            {
                i++;
            }
        }

        return [.. layers];
    }

    /// <summary>A model of this description with one member per seed, member k initialised from seeds[k].</summary>
    public Model Create(IBackend backend, SampleShape input, int classes, int maxBatch, IReadOnlyList<int> seeds)
    {
        var model = new Model(backend, input, maxBatch, Build(input, classes), seeds.Count);
        for (var k = 0; k < seeds.Count; k++)
        {
            model.Initialize(k, seeds[k]);
        }

        return model;
    }

    /// <summary>
    /// Device bytes a model of <paramref name="members"/> members needs at <paramref name="batch"/> (parameters, gradients,
    /// two optimizer state arenas, activations and their gradients: what <see cref="Model.FloatsPerMember"/> counts).
    /// </summary>
    public long BytesFor(SampleShape input, int classes, int batch, int members) =>
        4L * members * Model.FloatsPerMember(input, batch, Build(input, classes));

    // The output side of a window sliding over `shape`; refuses one that no longer fits.
    private static (int H, int W) Window(SampleShape shape, int kernel, int stride, int padding, string where)
    {
        if (shape.H + (2 * padding) < kernel || shape.W + (2 * padding) < kernel)
        {
            throw new ArgumentException(string.Create(
                CultureInfo.InvariantCulture,
                $"{where} would shrink the image below 1x1: its {kernel}x{kernel} window is larger than its {shape.H + (2 * padding)}x{shape.W + (2 * padding)} (padded) input."));
        }

        return (((shape.H + (2 * padding) - kernel) / stride) + 1, ((shape.W + (2 * padding) - kernel) / stride) + 1);
    }
}
