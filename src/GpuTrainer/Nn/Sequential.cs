using GpuTrainer.Compute;

namespace GpuTrainer.Nn;

/// <summary>
/// A chain of layers with every parameter in ONE flat arena: <see cref="Parameters"/> holds all weights
/// and biases back to back (layer order, weight before bias, like PyTorch's parameters()), and
/// <see cref="Gradients"/> mirrors it, so an optimizer updates the whole model in one launch and a
/// checkpoint is one copy. Activations and their gradients live in one workspace buffer sized for
/// <see cref="MaxBatch"/>; a smaller batch uses a prefix of each (the batch is the outermost dimension).
/// </summary>
public sealed class Sequential : IDisposable
{
    private readonly Layer[] _layers;
    private readonly Tensor[] _outputs;   // layer i's output y_i (MaxBatch, OutputShape_i)
    private readonly Tensor[] _deltas;    // dL/dy_i, same shape; empty when nothing upstream needs it
    private readonly DeviceBuffer _workspace;

    public Sequential(IBackend backend, SampleShape inputShape, int maxBatch, params Layer[] layers)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatch, 1);
        if (layers.Length == 0)
        {
            throw new ArgumentException("A model needs at least one layer.", nameof(layers));
        }

        Backend = backend;
        InputShape = inputShape;
        MaxBatch = maxBatch;
        _layers = layers;

        var shape = inputShape;
        foreach (var layer in layers)
        {
            shape = layer.Connect(shape);
        }

        OutputShape = shape;
        FoldActivationBackwards(layers);
        ParameterCount = layers.Sum(l => l.ParameterCount);
        Parameters = backend.Allocate(ParameterCount);
        Gradients = backend.Allocate(ParameterCount);
        var offset = 0;
        foreach (var layer in layers)
        {
            layer.Bind(Parameters.Slice(offset, layer.ParameterCount), Gradients.Slice(offset, layer.ParameterCount));
            offset += layer.ParameterCount;
        }

        // Each non-aliasing layer gets an output and a delta slot of MaxBatch * its output size.
        var slot = layers.Where(l => !l.AliasesInput).Sum(l => (long)maxBatch * l.OutputShape.Size);
        if (2 * slot > int.MaxValue)
        {
            throw new ArgumentException($"Batch {maxBatch} needs {2 * slot} activation floats, more than one buffer can hold.");
        }

        _workspace = backend.Allocate((int)(2 * slot));
        _outputs = new Tensor[layers.Length];
        _deltas = new Tensor[layers.Length];
        var next = 0;
        for (var i = 0; i < layers.Length; i++)
        {
            if (layers[i].AliasesInput)
            {
                // Same memory as the previous output (the model input for i = 0, bound at Forward time).
                _outputs[i] = i > 0 ? _outputs[i - 1] : default;
                _deltas[i] = i > 0 ? _deltas[i - 1] : default;
                continue;
            }

            var size = maxBatch * layers[i].OutputShape.Size;
            _outputs[i] = _workspace.Slice(next, size);
            _deltas[i] = _workspace.Slice((int)slot + next, size);
            next += size;
        }
    }

    public IBackend Backend { get; }
    public SampleShape InputShape { get; }
    public SampleShape OutputShape { get; }
    public int MaxBatch { get; }
    public IReadOnlyList<Layer> Layers => _layers;

    /// <summary>Total trainable floats (61,706 for LeNet-5).</summary>
    public int ParameterCount { get; }

    /// <summary>The flat parameter arena.</summary>
    public DeviceBuffer Parameters { get; }

    /// <summary>The flat gradient arena, written by <see cref="Backward"/>.</summary>
    public DeviceBuffer Gradients { get; }

    /// <summary>PyTorch's default initialisation (U(+-1/sqrt(fan_in)) for weights and biases) from a seed.</summary>
    public void Initialize(int seed)
    {
        WriteParameters(Layer.InitialParameters(_layers, seed));
    }

    public float[] ReadParameters()
    {
        var values = new float[ParameterCount];
        Backend.Download(Parameters.All, values);
        return values;
    }

    public void WriteParameters(ReadOnlySpan<float> values)
    {
        if (values.Length != ParameterCount)
        {
            throw new ArgumentException($"The model has {ParameterCount} parameters but {values.Length} values were given.");
        }

        Backend.Upload(values, Parameters.All);
    }

    /// <summary>Runs every layer on input (batch, InputShape) and returns the output view (batch, OutputShape).</summary>
    public Tensor Forward(Tensor input, int batch)
    {
        CheckBatch(batch);
        input.Require((long)batch * InputShape.Size, nameof(input));
        var x = input.Slice(0, batch * InputShape.Size);
        for (var i = 0; i < _layers.Length; i++)
        {
            var y = Output(i, x, batch);
            _layers[i].Forward(Backend, x, y, batch);
            x = y;
        }

        return x;
    }

    /// <summary>
    /// Back-propagates dOutput (batch, OutputShape) through the activations of the last
    /// <see cref="Forward"/> on the same input, overwriting <see cref="Gradients"/>. dOutput is used as scratch.
    /// </summary>
    public void Backward(Tensor input, Tensor dOutput, int batch)
    {
        CheckBatch(batch);
        dOutput.Require((long)batch * OutputShape.Size, nameof(dOutput));
        var dy = dOutput.Slice(0, batch * OutputShape.Size);
        var x0 = input.Slice(0, batch * InputShape.Size);
        for (var i = _layers.Length - 1; i >= 0; i--)
        {
            var x = i == 0 ? x0 : Output(i - 1, x0, batch);
            var dx = i == 0 ? default : Delta(i - 1, batch);
            _layers[i].Backward(Backend, x, Output(i, x0, batch), dy, dx, batch);
            dy = dx;
        }
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

    private Tensor Output(int i, Tensor input, int batch) =>
        _outputs[i].IsEmpty ? input : _outputs[i].Slice(0, batch * _layers[i].OutputShape.Size);

    private Tensor Delta(int i, int batch) =>
        _deltas[i].IsEmpty ? default : _deltas[i].Slice(0, batch * _layers[i].OutputShape.Size);

    private void CheckBatch(int batch)
    {
        if (batch < 1 || batch > MaxBatch)
        {
            throw new ArgumentOutOfRangeException(nameof(batch), $"Batch {batch} is outside 1..{MaxBatch}, the size this model was built for.");
        }
    }

    public void Dispose()
    {
        _workspace.Dispose();
        Parameters.Dispose();
        Gradients.Dispose();
    }
}
