using GpuTrainer.Compute;

namespace GpuTrainer.Nn;

/// <summary>
/// A layer's grouped forward and backward (see <see cref="ModelGroup"/>): the same computation as
/// <see cref="Forward"/> and <see cref="Backward"/> for K models in one call per operation. In a group the layer's
/// <see cref="Parameters"/> and <see cref="Gradients"/> are model 0's slices; model k's lie k arena strides further on.
/// Activations are (K, batch, shape) with one stride per model; the group's input is shared by every model.
/// </summary>
public abstract partial class Layer
{
    private int _groupModels;
    private int _groupStride;

    internal void BindGroup(Tensor parameters, Tensor gradients, int models, int arenaStride)
    {
        Bind(parameters, gradients);
        (_groupModels, _groupStride) = (models, arenaStride);
    }

    /// <summary>Every model's slice [offset, offset + length) of this layer's parameters.</summary>
    protected GroupTensor GroupParameters(int offset, int length) => new(Parameters.Slice(offset, length), _groupStride, _groupModels);

    /// <summary>Every model's slice [offset, offset + length) of this layer's gradients.</summary>
    protected GroupTensor GroupGradients(int offset, int length) => new(Gradients.Slice(offset, length), _groupStride, _groupModels);

    /// <summary>y_k (batch, OutputShape) = f_k(x_k (batch, InputShape)) for every model k of the group.</summary>
    public abstract void ForwardGroup(IBackend backend, GroupTensor x, GroupTensor y, int batch);

    /// <summary><see cref="Backward"/> for every model k of the group; dy may be overwritten, an empty dx is not written.</summary>
    public abstract void BackwardGroup(IBackend backend, GroupTensor x, GroupTensor y, GroupTensor dy, GroupTensor dx, int batch);

    /// <summary>The initial parameter arena of <paramref name="layers"/> (in order) from a seed: PyTorch's default initialisation.</summary>
    internal static float[] InitialParameters(IReadOnlyList<Layer> layers, int seed)
    {
        var random = new Random(seed);
        var values = new float[layers.Sum(l => l.ParameterCount)];
        var offset = 0;
        foreach (var layer in layers)
        {
            layer.Initialize(values.AsSpan(offset, layer.ParameterCount), random);
            offset += layer.ParameterCount;
        }

        return values;
    }
}
