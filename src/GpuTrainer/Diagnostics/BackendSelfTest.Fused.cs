using GpuTrainer.Compute;

namespace GpuTrainer.Diagnostics;

/// <summary>The checks of the fused step operations (IBackend.Fused.cs), on the same inputs as the unfused ones.</summary>
public sealed partial class BackendSelfTest
{
    private KernelCheck ConvForwardFused(Conv2dShape s)
    {
        var x = Put(Uniform(s.InputSize));
        var w = Put(Uniform(s.WeightSize));
        var bias = Put(Uniform(s.OC));
        var y = Put(Uniform(s.OutputSize));
        Both((k, t) => k.Conv2dForwardBiasActivation(s, t(x), t(w), t(bias), t(y), Activation.Relu));
        return Check("conv2d forward + bias + relu", Describe(s), Tolerance.Sum((long)s.C * s.KH * s.KW), y);
    }

    private KernelCheck ConvBackwardWeightBias(Conv2dShape s)
    {
        var x = Put(Uniform(s.InputSize));
        var dy = Put(Uniform(s.OutputSize));
        var dw = Put(Uniform(s.WeightSize));
        var db = Put(Uniform(s.OC));
        Both((k, t) => k.Conv2dBackwardWeightBias(s, t(x), t(dy), t(dw), t(db)));
        return Check("conv2d backward-weight + bias", Describe(s), Tolerance.Sum((long)s.N * s.OutH * s.OutW), dw, db);
    }

    // x is a ReLU output (non-negative with exact zeros): the folded ReLU backward cuts where it is 0.
    private KernelCheck MaxPoolReluBackward(Pool2dShape s)
    {
        var x = Put(Array.ConvertAll(Uniform(s.InputSize), v => Math.Max(v, 0f)));
        var dy = Put(Uniform(s.OutputSize));
        var dx = Put(Uniform(s.InputSize));
        Both((k, t) => k.MaxPoolActivationBackward(s, t(x), t(dy), t(dx), Activation.Relu));
        return Check("max-pool + relu backward", Describe(s), Tolerance.Elementwise, dx);
    }

    private KernelCheck LinearForward(int batch, int inFeatures, int outFeatures)
    {
        var x = Put(Uniform((long)batch * inFeatures));
        var w = Put(Uniform((long)outFeatures * inFeatures));
        var bias = Put(Uniform(outFeatures));
        var y = Put(Uniform((long)batch * outFeatures));
        Both((k, t) => k.LinearForward(batch, inFeatures, outFeatures, t(x), t(w), t(bias), t(y), Activation.Relu));
        return Check("linear forward + bias + relu", $"({batch},{inFeatures}) -> {outFeatures}", Tolerance.Sum(inFeatures), y);
    }

    // x is a ReLU output, so dx is masked where it is 0; dW, db and dx in one operation.
    private KernelCheck LinearBackward(int batch, int inFeatures, int outFeatures)
    {
        var x = Put(Array.ConvertAll(Uniform((long)batch * inFeatures), v => Math.Max(v, 0f)));
        var w = Put(Uniform((long)outFeatures * inFeatures));
        var dy = Put(Uniform((long)batch * outFeatures));
        var dw = Put(Uniform((long)outFeatures * inFeatures));
        var db = Put(Uniform(outFeatures));
        var dx = Put(Uniform((long)batch * inFeatures));
        Both((k, t) => k.LinearBackward(batch, inFeatures, outFeatures, t(x), t(w), t(dy), t(dw), t(db), t(dx), Activation.Relu));
        return Check("linear backward + relu backward", $"({batch},{inFeatures}) -> {outFeatures}", Tolerance.Sum(Math.Max(batch, outFeatures)), dw, db, dx);
    }
}
