using GpuTrainer.Compute;

namespace GpuTrainer.Nn;

/// <summary>
/// K replicas of one architecture trained on the same batches in one pass: each layer's operations run once for
/// all K models (<see cref="Layer.ForwardGroup"/>). Model k's parameters are slice [k*P, (k+1)*P) of ONE group
/// arena (P = <see cref="ParameterCount"/>, laid out as a <see cref="Sequential"/>'s), its gradients likewise, so the
/// group optimizer updates every model in one launch. Layer i's activations are (K, MaxBatch, OutputShape_i): model
/// k's at stride MaxBatch * OutputShape_i.Size; a smaller batch uses a prefix of each model's slot. The input
/// batch (batch, InputShape) is shared by every model.
/// </summary>
public sealed class ModelGroup : IDisposable
{
    private readonly Layer[] _layers;
    private readonly GroupTensor[] _outputs;   // layer i's y_i, per model (MaxBatch, OutputShape_i)
    private readonly GroupTensor[] _deltas;    // dL/dy_i, same shape
    private readonly bool[] _aliases;          // layer i's output is its input (Flatten)
    private readonly DeviceBuffer _workspace;

    /// <param name="backend">The device.</param>
    /// <param name="models">K, at least 1.</param>
    /// <param name="inputShape">One sample's shape.</param>
    /// <param name="maxBatch">The largest batch.</param>
    /// <param name="layers">A fresh set of layers (not used by any other model): they are connected and bound here.</param>
    public ModelGroup(IBackend backend, int models, SampleShape inputShape, int maxBatch, Layer[] layers)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(models, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatch, 1);
        if (layers.Length == 0)
        {
            throw new ArgumentException("A model needs at least one layer.", nameof(layers));
        }

        (Backend, Models, InputShape, MaxBatch, _layers) = (backend, models, inputShape, maxBatch, layers);
        var shape = inputShape;
        foreach (var layer in layers)
        {
            shape = layer.Connect(shape);
        }

        OutputShape = shape;
        ParameterCount = layers.Sum(l => l.ParameterCount);
        var arena = (long)models * ParameterCount;
        var slot = ActivationSlot(layers, maxBatch);
        if (arena > int.MaxValue || 2 * slot * models > int.MaxValue)
        {
            throw new ArgumentException($"{models} models at batch {maxBatch} need more floats than one buffer can hold; use fewer models or a smaller batch.");
        }

        Parameters = backend.Allocate((int)arena);
        Gradients = backend.Allocate((int)arena);
        var offset = 0;
        foreach (var layer in layers)
        {
            layer.BindGroup(Parameters.Slice(offset, layer.ParameterCount), Gradients.Slice(offset, layer.ParameterCount), models, ParameterCount);
            offset += layer.ParameterCount;
        }

        _workspace = backend.Allocate((int)(2 * slot * models));
        _outputs = new GroupTensor[layers.Length];
        _deltas = new GroupTensor[layers.Length];
        _aliases = [.. layers.Select(l => l.AliasesInput)];
        long next = 0;
        for (var i = 0; i < layers.Length; i++)
        {
            if (_aliases[i])
            {
                continue;   // resolved at call time: the previous layer's views, or the input
            }

            var size = maxBatch * layers[i].OutputShape.Size;
            _outputs[i] = new GroupTensor(_workspace.Slice((int)next, size), size, models);
            _deltas[i] = new GroupTensor(_workspace.Slice((int)(next + (slot * models)), size), size, models);
            next += (long)size * models;
        }
    }

    /// <summary>
    /// Device floats one model of a group needs at <paramref name="maxBatch"/>: its parameters and gradients, two
    /// optimizer state arenas, and its activations and their gradients. Connects <paramref name="layers"/>.
    /// </summary>
    public static long FloatsPerModel(SampleShape inputShape, int maxBatch, Layer[] layers)
    {
        var shape = inputShape;
        foreach (var layer in layers)
        {
            shape = layer.Connect(shape);
        }

        return (4L * layers.Sum(l => l.ParameterCount)) + (2 * ActivationSlot(layers, maxBatch));
    }

    // Floats of one model's activations (or their gradients) at maxBatch: every non-aliasing layer's output.
    private static long ActivationSlot(Layer[] layers, int maxBatch) =>
        layers.Where(l => !l.AliasesInput).Sum(l => (long)maxBatch * l.OutputShape.Size);

    /// <summary>K LeNet-5 models for square inputs of <paramref name="inputSize"/>, each initialised from its own seed.</summary>
    public static ModelGroup LeNet5(IBackend backend, int maxBatch, IReadOnlyList<int> seeds, int inputSize = 28)
    {
        var group = new ModelGroup(backend, seeds.Count, Nn.LeNet5.InputShape(inputSize), maxBatch, Nn.LeNet5.Layers(inputSize));
        for (var k = 0; k < seeds.Count; k++)
        {
            group.Initialize(k, seeds[k]);
        }

        return group;
    }

    public IBackend Backend { get; }

    /// <summary>K, the number of models.</summary>
    public int Models { get; }

    public SampleShape InputShape { get; }
    public SampleShape OutputShape { get; }
    public int MaxBatch { get; }

    /// <summary>P, the trainable floats of one model (61,706 for LeNet-5).</summary>
    public int ParameterCount { get; }

    /// <summary>The group parameter arena, (K, P).</summary>
    public DeviceBuffer Parameters { get; }

    /// <summary>The group gradient arena, (K, P), written by <see cref="Backward"/>.</summary>
    public DeviceBuffer Gradients { get; }

    /// <summary>Every model's whole slice of <paramref name="arena"/> (the parameters, the gradients or an optimizer state of this group's shape).</summary>
    public GroupTensor Arenas(DeviceBuffer arena) => new(arena.Slice(0, ParameterCount), ParameterCount, Models);

    /// <summary>Model <paramref name="k"/>'s initialisation from <paramref name="seed"/>: the same values as <see cref="Sequential.Initialize"/>.</summary>
    public void Initialize(int k, int seed) => WriteParameters(k, Layer.InitialParameters(_layers, seed));

    /// <summary>A host copy of model <paramref name="k"/>'s parameters.</summary>
    public float[] ReadParameters(int k)
    {
        var values = new float[ParameterCount];
        Backend.Download(Arenas(Parameters).Model(k), values);
        return values;
    }

    /// <summary>Overwrites model <paramref name="k"/>'s parameters.</summary>
    public void WriteParameters(int k, ReadOnlySpan<float> values)
    {
        if (values.Length != ParameterCount)
        {
            throw new ArgumentException($"A model of the group has {ParameterCount} parameters but {values.Length} values were given.");
        }

        Backend.Upload(values, Arenas(Parameters).Model(k));
    }

    /// <summary>Runs every layer of every model on the shared input (batch, InputShape); returns the outputs, per model (batch, OutputShape).</summary>
    public GroupTensor Forward(Tensor input, int batch)
    {
        CheckBatch(batch);
        input.Require((long)batch * InputShape.Size, nameof(input));
        var x = GroupTensor.Shared(input.Slice(0, batch * InputShape.Size), Models);
        for (var i = 0; i < _layers.Length; i++)
        {
            var y = Output(i, x, batch);
            _layers[i].ForwardGroup(Backend, x, y, batch);
            x = y;
        }

        return x;
    }

    /// <summary>
    /// Back-propagates dOutput (per model (batch, OutputShape)) through the activations of the last <see cref="Forward"/>
    /// on the same input, overwriting <see cref="Gradients"/>. dOutput is used as scratch.
    /// </summary>
    public void Backward(Tensor input, GroupTensor dOutput, int batch)
    {
        CheckBatch(batch);
        dOutput.First.Require((long)batch * OutputShape.Size, nameof(dOutput));
        var x0 = GroupTensor.Shared(input.Slice(0, batch * InputShape.Size), Models);
        var dy = dOutput.Prefix(batch * OutputShape.Size);
        for (var i = _layers.Length - 1; i >= 0; i--)
        {
            var x = i == 0 ? x0 : Output(i - 1, x0, batch);
            var dx = i == 0 ? new GroupTensor(default, 0, Models) : Delta(i - 1, batch);
            _layers[i].BackwardGroup(Backend, x, Output(i, x0, batch), dy, dx, batch);
            dy = dx;
        }
    }

    // Layer i's output: its own slot, or (aliasing) the previous layer's output / the input.
    private GroupTensor Output(int i, GroupTensor input, int batch) => _aliases[i]
        ? (i == 0 ? input : Output(i - 1, input, batch))
        : _outputs[i].Prefix(batch * _layers[i].OutputShape.Size);

    // dL/dy_i: its own slot, or (aliasing) the previous layer's delta.
    private GroupTensor Delta(int i, int batch) => _aliases[i]
        ? (i == 0 ? new GroupTensor(default, 0, Models) : Delta(i - 1, batch))
        : _deltas[i].Prefix(batch * _layers[i].OutputShape.Size);

    private void CheckBatch(int batch)
    {
        if (batch < 1 || batch > MaxBatch)
        {
            throw new ArgumentOutOfRangeException(nameof(batch), $"Batch {batch} is outside 1..{MaxBatch}, the size this group was built for.");
        }
    }

    public void Dispose()
    {
        _workspace.Dispose();
        Parameters.Dispose();
        Gradients.Dispose();
    }
}
