using GpuTrainer.Kernels;
using ILGPU;

namespace GpuTrainer.Compute.Ilgpu;

/// <summary>The fused step operations of <see cref="IBackend"/> (IBackend.Fused.cs) as single launches of our kernels.</summary>
public sealed partial class IlgpuBackend
{
    /// <inheritdoc/>
    protected override void Conv2dForwardBiasActivationMember(in Conv2dShape shape, Tensor input, Tensor weight, Tensor bias, Tensor output, Activation activation)
    {
        var g = Geometry(shape);
        var tables = Tables(g);
        var conv = new ConvForwardOperands(
            g, tables.OutputPixels, tables.Patches, View(input, shape.InputSize, nameof(input)), View(weight, shape.WeightSize, nameof(weight)), View(output, shape.OutputSize, nameof(output)));
        _convForwardFused.Launch(new ConvForwardBiasActivationOperands(conv, View(bias, shape.OC, nameof(bias)), Relu(activation)), 1);
    }

    /// <inheritdoc/>
    protected override void Conv2dBackwardWeightBiasMember(in Conv2dShape shape, Tensor input, Tensor dOutput, Tensor dWeight, Tensor dBias)
    {
        var g = Geometry(shape);
        var tables = Tables(g);
        var x = View(input, shape.InputSize, nameof(input));
        var dy = View(dOutput, shape.OutputSize, nameof(dOutput));
        var dw = View(dWeight, shape.WeightSize, nameof(dWeight));
        var db = View(dBias, shape.OC, nameof(dBias));

        // Split-K over images as in Conv2dBackwardWeight; the partials of dW and db share one scratch: (splits, OC*Patch) then (splits, OC).
        var (imagesPerSplit, splits) = SplitImages(g, g.Patch + 1);
        var weightPartials = dw;
        var biasPartials = db;
        if (splits > 1)
        {
            var scratch = Scratch((long)splits * (shape.WeightSize + shape.OC));
            weightPartials = scratch.SubView(0, (long)splits * shape.WeightSize);
            biasPartials = scratch.SubView((long)splits * shape.WeightSize, (long)splits * shape.OC);
        }

        var operands = new ConvBackwardWeightBiasOperands(new ConvBackwardWeightOperands(g, imagesPerSplit, tables.OutputPixels, tables.Patches, x, dy, weightPartials), biasPartials);
        _convBackwardWeightBias.Launch(operands, splits);
        if (splits > 1)
        {
            _meter.Launch(_sumSlicePairs, shape.WeightSize + shape.OC, weightPartials, dw, biasPartials, db, splits);
        }
    }

    /// <inheritdoc/>
    protected override void LinearForwardMember(int batch, int inFeatures, int outFeatures, Tensor x, Tensor weight, Tensor bias, Tensor y, Activation activation)
    {
        var shape = new GemmShape(batch, outFeatures, inFeatures, TransB: true);
        shape.Validate();
        var gemm = new GemmOperands(
            View(x, shape.ASize, nameof(x)), View(weight, shape.BSize, nameof(weight)), View(y, shape.CSize, nameof(y)),
            shape.M, shape.N, shape.K, shape.TransA, shape.TransB, shape.StrideA, shape.StrideB, shape.StrideC, 1f, 0f);
        _linearForward.Launch(new GemmBiasActivationOperands(gemm, View(bias, outFeatures, nameof(bias)), Relu(activation)), 1);
    }

    /// <inheritdoc/>
    protected override void LinearBackwardMember(
        int batch, int inFeatures, int outFeatures, Tensor x, Tensor weight, Tensor dy, Tensor dWeight, Tensor dBias, Tensor dx, Activation inputActivation)
    {
        new GemmShape(batch, inFeatures, outFeatures).Validate();
        long inputs = (long)batch * inFeatures, weights = (long)outFeatures * inFeatures;
        var xv = View(x, inputs, nameof(x));
        // Without dx only GEMM batch 0 runs, which never touches the dx view; x stands in.
        var operands = new LinearBackwardOperands(
            xv, View(dy, (long)batch * outFeatures, nameof(dy)), View(weight, weights, nameof(weight)), View(dWeight, weights, nameof(dWeight)),
            View(dBias, outFeatures, nameof(dBias)), dx.IsEmpty ? xv : View(dx, inputs, nameof(dx)), batch, inFeatures, outFeatures, Relu(inputActivation));
        _linearBackward.Launch(operands, dx.IsEmpty ? 1 : 2);
    }

    /// <inheritdoc/>
    protected override void MaxPoolActivationBackwardMember(in Pool2dShape shape, Tensor input, Tensor dOutput, Tensor dInput, Activation inputActivation)
    {
        var g = Geometry(shape);
        var x = View(input, shape.InputSize, nameof(input));
        var dy = View(dOutput, shape.OutputSize, nameof(dOutput));
        _meter.Launch(_maxPoolBackward, shape.InputSize, g, x, dy, View(dInput, shape.InputSize, nameof(dInput)), Relu(inputActivation));
    }
}
