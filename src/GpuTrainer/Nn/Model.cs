using GpuTrainer.Compute;

namespace GpuTrainer.Nn;

/// <summary>
/// A chain of layers trained as a group of K &gt;= 1 members (a lone model is K = 1) on the same batches: each layer's
/// operations run once for all K (<see cref="IBackend"/>'s operations take every member's views), and a member computes
/// exactly what it computes alone. Every parameter lives in ONE flat arena: member k's parameters are slice
/// [k*P, (k+1)*P) of <see cref="Parameters"/> (P = <see cref="ParameterCount"/>; per member the layers in order, weight
/// before bias, like PyTorch's parameters()), and <see cref="Gradients"/> mirrors it, so the optimizer updates every
/// member in one launch and a checkpoint is one copy. Layer i's activations and their gradients are
/// (K, MaxBatch, OutputShape_i) in one workspace; a smaller batch uses a prefix of each member's slot. The input batch
/// (batch, InputShape) is shared by every member.
/// </summary>
public sealed class Model : IDisposable
{
    private readonly Layer[] _layers;
    private readonly Tensor[] _outputs;   // layer i's y_i, per member (MaxBatch, OutputShape_i); empty when it aliases its input
    private readonly Tensor[] _deltas;    // dL/dy_i, same shape
    private readonly DeviceBuffer _workspace;

    /// <param name="backend">The device.</param>
    /// <param name="inputShape">One sample's shape.</param>
    /// <param name="maxBatch">The largest batch.</param>
    /// <param name="layers">A fresh set of layers (not used by any other model): they are connected and bound here.</param>
    /// <param name="members">K, at least 1.</param>
    public Model(IBackend backend, SampleShape inputShape, int maxBatch, Layer[] layers, int members = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(members, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatch, 1);
        (Backend, Members, InputShape, MaxBatch, _layers) = (backend, members, inputShape, maxBatch, layers);
        OutputShape = Connect(inputShape, layers);
        FoldActivationBackwards(layers);
        ParameterCount = layers.Sum(l => l.ParameterCount);
        var slot = ActivationSlot(layers, maxBatch);
        if ((long)members * ParameterCount > int.MaxValue || 2 * slot * members > int.MaxValue)
        {
            throw new ArgumentException($"{members} members at batch {maxBatch} need more floats than one buffer can hold; use fewer members or a smaller batch.");
        }

        Parameters = backend.Allocate(members * ParameterCount);
        Gradients = backend.Allocate(members * ParameterCount);
        var offset = 0;
        foreach (var layer in layers)
        {
            layer.Bind(Arena(Parameters).Slice(offset, layer.ParameterCount), Arena(Gradients).Slice(offset, layer.ParameterCount));
            offset += layer.ParameterCount;
        }

        _workspace = backend.Allocate((int)(2 * slot * members));
        _outputs = new Tensor[layers.Length];
        _deltas = new Tensor[layers.Length];
        long next = 0;
        for (var i = 0; i < layers.Length; i++)
        {
            if (layers[i].AliasesInput)
            {
                continue;   // resolved at call time: the previous layer's views, or the input
            }

            var size = maxBatch * layers[i].OutputShape.Size;
            _outputs[i] = new Tensor(_workspace, (int)next, size, members, size);
            _deltas[i] = new Tensor(_workspace, (int)(next + (slot * members)), size, members, size);
            next += (long)size * members;
        }
    }

    public IBackend Backend { get; }

    /// <summary>K, the members trained together.</summary>
    public int Members { get; }

    public SampleShape InputShape { get; }
    public SampleShape OutputShape { get; }
    public int MaxBatch { get; }
    public IReadOnlyList<Layer> Layers => _layers;

    /// <summary>P, the trainable floats of one member (61,706 for LeNet-5).</summary>
    public int ParameterCount { get; }

    /// <summary>The parameter arena, (K, P).</summary>
    public DeviceBuffer Parameters { get; }

    /// <summary>The gradient arena, (K, P), written by <see cref="Backward"/>.</summary>
    public DeviceBuffer Gradients { get; }

    /// <summary>
    /// Device floats one member needs at <paramref name="maxBatch"/>: its parameters and gradients, two optimizer state
    /// arenas, and its activations and their gradients. Connects <paramref name="layers"/>.
    /// </summary>
    public static long FloatsPerMember(SampleShape inputShape, int maxBatch, Layer[] layers)
    {
        Connect(inputShape, layers);
        return (4L * layers.Sum(l => l.ParameterCount)) + (2 * ActivationSlot(layers, maxBatch));
    }

    /// <summary>Every member's whole slice of <paramref name="arena"/> (the parameters, the gradients or an optimizer state arena of this model's shape).</summary>
    public Tensor Arena(DeviceBuffer arena) => new(arena, 0, ParameterCount, Members, ParameterCount);

    /// <summary>Member <paramref name="k"/>'s initialisation from <paramref name="seed"/>: PyTorch's default (U(+-1/sqrt(fan_in)) for weights and biases).</summary>
    public void Initialize(int k, int seed) => WriteParameters(k, Layer.InitialParameters(_layers, seed));

    /// <summary>A host copy of member <paramref name="k"/>'s parameters.</summary>
    public float[] ReadParameters(int k = 0)
    {
        var values = new float[ParameterCount];
        Backend.Download(Arena(Parameters).Member(k), values);
        return values;
    }

    /// <summary>Overwrites member <paramref name="k"/>'s parameters.</summary>
    public void WriteParameters(int k, ReadOnlySpan<float> values)
    {
        if (values.Length != ParameterCount)
        {
            throw new ArgumentException($"The model has {ParameterCount} parameters but {values.Length} values were given.");
        }

        Backend.Upload(values, Arena(Parameters).Member(k));
    }

    /// <summary>Runs every layer of every member on the shared input (batch, InputShape); returns the outputs, per member (batch, OutputShape).</summary>
    public Tensor Forward(Tensor input, int batch)
    {
        var x = Input(input, batch);
        for (var i = 0; i < _layers.Length; i++)
        {
            var y = Output(i, x, batch);
            _layers[i].Forward(Backend, x, y, batch);
            x = y;
        }

        return x;
    }

    /// <summary>
    /// Back-propagates dOutput (per member (batch, OutputShape)) through the activations of the last <see cref="Forward"/>
    /// on the same input, overwriting <see cref="Gradients"/>. dOutput is used as scratch.
    /// </summary>
    public void Backward(Tensor input, Tensor dOutput, int batch)
    {
        var x0 = Input(input, batch);
        dOutput.Require((long)batch * OutputShape.Size, nameof(dOutput));
        var dy = dOutput.Slice(0, batch * OutputShape.Size);
        for (var i = _layers.Length - 1; i >= 0; i--)
        {
            var x = i == 0 ? x0 : Output(i - 1, x0, batch);
            var dx = i == 0 ? default : Delta(i - 1, batch);
            _layers[i].Backward(Backend, x, Output(i, x0, batch), dy, dx, batch);
            dy = dx;
        }
    }

    // Connects the layers in order; returns the last output shape.
    private static SampleShape Connect(SampleShape input, Layer[] layers)
    {
        if (layers.Length == 0)
        {
            throw new ArgumentException("A model needs at least one layer.", nameof(layers));
        }

        foreach (var layer in layers)
        {
            input = layer.Connect(input);
        }

        return input;
    }

    // Each activation's backward moves into the next real (non-aliasing) layer's dx when that layer can fold it (see Layer).
    private static void FoldActivationBackwards(Layer[] layers)
    {
        for (var i = 0; i < layers.Length; i++)
        {
            var next = i + 1;
            while (next < layers.Length && layers[next].AliasesInput)
            {
                next++;
            }

            if (layers[i].OutputActivation != Activation.Identity && next < layers.Length && layers[next].FoldsInputActivation)
            {
                layers[next].InputActivation = layers[i].OutputActivation;
                layers[i].ActivationFoldedDownstream = true;
            }
        }
    }

    // Floats of one member's activations (or their gradients) at maxBatch: every non-aliasing layer's output.
    private static long ActivationSlot(Layer[] layers, int maxBatch) =>
        layers.Where(l => !l.AliasesInput).Sum(l => (long)maxBatch * l.OutputShape.Size);

    // The shared input batch as every member's view.
    private Tensor Input(Tensor input, int batch)
    {
        if (batch < 1 || batch > MaxBatch)
        {
            throw new ArgumentOutOfRangeException(nameof(batch), $"Batch {batch} is outside 1..{MaxBatch}, the size this model was built for.");
        }

        input.Require((long)batch * InputShape.Size, nameof(input));
        return input.Member(0).Slice(0, batch * InputShape.Size).Shared(Members);
    }

    // Layer i's output: its own slot, or (aliasing) the previous layer's output / the input.
    private Tensor Output(int i, Tensor input, int batch) => _outputs[i].IsEmpty
        ? (i == 0 ? input : Output(i - 1, input, batch))
        : _outputs[i].Slice(0, batch * _layers[i].OutputShape.Size);

    // dL/dy_i: its own slot, or (aliasing) the previous layer's delta.
    private Tensor Delta(int i, int batch) => _outputs[i].IsEmpty
        ? (i == 0 ? default : Delta(i - 1, batch))
        : _deltas[i].Slice(0, batch * _layers[i].OutputShape.Size);

    public void Dispose()
    {
        _workspace.Dispose();
        Parameters.Dispose();
        Gradients.Dispose();
    }
}
