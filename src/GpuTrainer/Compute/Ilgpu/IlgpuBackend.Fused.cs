using GpuTrainer.Kernels;
using ILGPU;

namespace GpuTrainer.Compute.Ilgpu;

/// <summary>
/// The fused step operations of <see cref="IBackend"/> (IBackend.Fused.cs) as single launches of our kernels for every
/// member of a group (two for a split-K backward-weight): GEMM batches member x the op's own batches.
/// </summary>
public sealed partial class IlgpuBackend
{
    /// <inheritdoc/>
    public void Conv2dForwardBiasActivation(in Conv2dShape shape, Tensor input, Tensor weight, Tensor bias, Tensor output, Activation activation)
    {
        var members = Tensor.MembersOf(input, weight, bias, output);
        var g = Geometry(shape);
        var tables = Tables(g);
        var conv = ForwardOperands(shape, g, tables, input, weight, output);
        var (b, bStride) = View(bias, shape.OC, nameof(bias));
        _convForwardFused.Launch(new ConvForwardBiasActivationOperands(conv, b, Relu(activation), bStride), 1, members);
    }

    /// <inheritdoc/>
    public void Conv2dBackwardWeightBias(in Conv2dShape shape, Tensor input, Tensor dOutput, Tensor dWeight, Tensor dBias)
    {
        var members = Tensor.MembersOf(input, dOutput, dWeight, dBias);
        var g = Geometry(shape);
        var tables = Tables(g);
        var (x, xStride) = View(input, shape.InputSize, nameof(input));
        var (dy, dyStride) = View(dOutput, shape.OutputSize, nameof(dOutput));
        var (dw, dwStride) = View(dWeight, shape.WeightSize, nameof(dWeight));
        var (db, dbStride) = View(dBias, shape.OC, nameof(dBias));

        // Split-K over images from one member's shape as in Conv2dBackwardWeight; the partials of dW and db share one
        // scratch: (K, splits, OC*Patch) then (K, splits, OC).
        var (imagesPerSplit, splits) = SplitImages(g, g.Patch + 1);
        var (weightPartials, weightStride, biasPartials, biasStride) = (dw, dwStride, db, dbStride);
        if (splits > 1)
        {
            // Kernels index the scratch with 32-bit member offsets.
            int weights = checked(members * splits * shape.WeightSize), biases = checked(members * splits * shape.OC);
            var scratch = Scratch(checked(weights + biases));
            (weightPartials, weightStride) = (scratch.SubView(0, weights), splits * shape.WeightSize);
            (biasPartials, biasStride) = (scratch.SubView(weights, biases), splits * shape.OC);
        }

        var operands = new ConvBackwardWeightBiasOperands(
            new ConvBackwardWeightOperands(g, imagesPerSplit, tables.OutputPixels, tables.Patches, x, dy, weightPartials, xStride, dyStride, weightStride),
            biasPartials, biasStride);
        _convBackwardWeightBias.Launch(operands, splits, members);
        if (splits > 1)
        {
            var each = shape.WeightSize + shape.OC;
            _meter.Launch(
                _sumSlicePairs, Threads(members, each), weightPartials, dw, biasPartials, db, splits, shape.WeightSize,
                new MemberStrides(each, weightStride, dwStride, biasStride, dbStride));
        }
    }

    /// <inheritdoc/>
    public void LinearForward(int batch, int inFeatures, int outFeatures, Tensor x, Tensor weight, Tensor bias, Tensor y, Activation activation)
    {
        var members = Tensor.MembersOf(x, weight, bias, y);
        var shape = new GemmShape(batch, outFeatures, inFeatures, TransB: true);
        shape.Validate();
        var (xv, xStride) = View(x, shape.ASize, nameof(x));
        var (w, wStride) = View(weight, shape.BSize, nameof(weight));
        var (yv, yStride) = View(y, shape.CSize, nameof(y));
        var (b, bStride) = View(bias, outFeatures, nameof(bias));
        var gemm = new GemmOperands(
            xv, w, yv, shape.M, shape.N, shape.K, shape.TransA, shape.TransB, shape.StrideA, shape.StrideB, shape.StrideC, 1f, 0f, xStride, wStride, yStride);
        _linearForward.Launch(new GemmBiasActivationOperands(gemm, b, Relu(activation), bStride), 1, members);
    }

    /// <inheritdoc/>
    public void LinearBackward(
        int batch, int inFeatures, int outFeatures, Tensor x, Tensor weight, Tensor dy, Tensor dWeight, Tensor dBias, Tensor dx, Activation inputActivation)
    {
        var members = Tensor.MembersOf(x, weight, dy, dWeight, dBias, dx);
        new GemmShape(batch, inFeatures, outFeatures).Validate();
        long inputs = (long)batch * inFeatures, weights = (long)outFeatures * inFeatures;
        var (xv, xStride) = View(x, inputs, nameof(x));
        var (dyv, dyStride) = View(dy, (long)batch * outFeatures, nameof(dy));
        var (w, wStride) = View(weight, weights, nameof(weight));
        var (dw, dwStride) = View(dWeight, weights, nameof(dWeight));
        var (db, dbStride) = View(dBias, outFeatures, nameof(dBias));
        // Without dx only GEMM batch 0 runs, which never touches the dx view; x stands in.
        var (dxv, dxStride) = dx.IsEmpty ? (xv, xStride) : View(dx, inputs, nameof(dx));
        var operands = new LinearBackwardOperands(
            xv, dyv, w, dw, db, dxv, batch, inFeatures, outFeatures, Relu(inputActivation), new LinearBackwardStrides(xStride, dyStride, wStride, dwStride, dbStride, dxStride));
        _linearBackward.Launch(operands, dx.IsEmpty ? 1 : 2, members);
    }

    /// <inheritdoc/>
    public void MaxPoolActivationBackward(in Pool2dShape shape, Tensor input, Tensor dOutput, Tensor dInput, Activation inputActivation)
    {
        var members = Tensor.MembersOf(input, dOutput, dInput);
        var g = Geometry(shape);
        var (x, xStride) = View(input, shape.InputSize, nameof(input));
        var (dy, dyStride) = View(dOutput, shape.OutputSize, nameof(dOutput));
        var (dx, dxStride) = View(dInput, shape.InputSize, nameof(dInput));
        _meter.Launch(
            _maxPoolBackward, Threads(members, shape.InputSize), g, x, dy, dx, Relu(inputActivation), new MemberStrides(shape.InputSize, xStride, dyStride, dxStride));
    }
}
