using GpuTrainer.Compute;
using GpuTrainer.Tests.Reference;
using Xunit;

namespace GpuTrainer.Tests.Compute;

/// <summary>
/// The fused step operations (IBackend.Fused.cs) against the reference, which runs them as the composition of its
/// float64 unfused ops. Inputs are centred on 0 so that every ReLU (forward, and the backward masks) cuts about half,
/// and a third of the masked inputs are exactly 0 (the mask's edge: ReLU' is 0 there). Outputs start dirty.
/// </summary>
public abstract partial class BackendOpsTests
{
    // A bias gradient sums up to a few hundred terms of |dy| <= 1.
    private const double SumAtol = 1e-4;

    private IBackend Reference => _reference;

    public static TheoryData<int, int, int, Activation> LinearCases => new()
    {
        { 7, 13, 9, Activation.Relu },
        { 33, 65, 17, Activation.Identity },
        { 1, 130, 45, Activation.Relu },
        { 70, 41, 3, Activation.Relu },
        { 130, 37, 70, Activation.Relu },
    };

    [Theory]
    [MemberData(nameof(LinearCases))]
    public void Linear_forward_with_bias_and_activation_matches_reference(int batch, int inFeatures, int outFeatures, Activation act)
    {
        var x = TestData.Uniform(batch * inFeatures, 80);
        var w = TestData.Uniform(outFeatures * inFeatures, 81);
        var bias = TestData.Uniform(outFeatures, 82);
        var expected = _reference.Put(new float[batch * outFeatures]);
        Reference.LinearForward(batch, inFeatures, outFeatures, _reference.Put(x), _reference.Put(w), _reference.Put(bias), expected, act);

        var y = Backend.Put(TestData.Uniform(batch * outFeatures, 83));
        Backend.LinearForward(batch, inFeatures, outFeatures, Backend.Put(x), Backend.Put(w), Backend.Put(bias), y, act);

        TestData.AssertClose(_reference.Read(expected), Backend.Get(y), Atol, Rtol, $"y {batch}x{inFeatures}->{outFeatures} {act}");
    }

    [Theory]
    [MemberData(nameof(LinearCases))]
    public void Linear_backward_writes_weight_bias_and_masked_input_gradients_like_reference(int batch, int inFeatures, int outFeatures, Activation act)
    {
        var x = WithZeros(TestData.Uniform(batch * inFeatures, 84));
        var w = TestData.Uniform(outFeatures * inFeatures, 85);
        var dy = TestData.Uniform(batch * outFeatures, 86);
        Tensor rdw = _reference.Put(new float[w.Length]), rdb = _reference.Put(new float[outFeatures]), rdx = _reference.Put(new float[x.Length]);
        Reference.LinearBackward(batch, inFeatures, outFeatures, _reference.Put(x), _reference.Put(w), _reference.Put(dy), rdw, rdb, rdx, act);

        Tensor dw = Backend.Put(TestData.Uniform(w.Length, 87)), db = Backend.Put(TestData.Uniform(outFeatures, 88));
        var dx = Backend.Put(TestData.Uniform(x.Length, 89));
        Backend.LinearBackward(batch, inFeatures, outFeatures, Backend.Put(x), Backend.Put(w), Backend.Put(dy), dw, db, dx, act);

        var what = $"{batch}x{inFeatures}->{outFeatures} {act}";
        TestData.AssertClose(_reference.Read(rdw), Backend.Get(dw), SumAtol, Rtol, $"dW {what}");
        TestData.AssertClose(_reference.Read(rdb), Backend.Get(db), SumAtol, Rtol, $"db {what}");
        TestData.AssertClose(_reference.Read(rdx), Backend.Get(dx), Atol, Rtol, $"dx {what}");

        // A first layer has no dx: the same weight and bias gradients.
        Backend.LinearBackward(batch, inFeatures, outFeatures, Backend.Put(x), Backend.Put(w), Backend.Put(dy), dw, db, default, act);
        TestData.AssertClose(_reference.Read(rdw), Backend.Get(dw), SumAtol, Rtol, $"dW without dx {what}");
        TestData.AssertClose(_reference.Read(rdb), Backend.Get(db), SumAtol, Rtol, $"db without dx {what}");
    }

    [Theory]
    [MemberData(nameof(ConvCases))]
    public void Conv2d_forward_with_bias_and_relu_and_backward_weight_with_bias_match_reference(Conv2dShape s)
    {
        var x = TestData.Uniform(s.InputSize, 90);
        var w = TestData.Uniform(s.WeightSize, 91);
        var bias = TestData.Uniform(s.OC, 92);
        var dy = TestData.Uniform(s.OutputSize, 93);
        Tensor rx = _reference.Put(x), ry = _reference.Put(new float[s.OutputSize]);
        Tensor rdw = _reference.Put(new float[s.WeightSize]), rdb = _reference.Put(new float[s.OC]);
        Reference.Conv2dForwardBiasActivation(s, rx, _reference.Put(w), _reference.Put(bias), ry, Activation.Relu);
        Reference.Conv2dBackwardWeightBias(s, rx, _reference.Put(dy), rdw, rdb);

        var xt = Backend.Put(x);
        var y = Backend.Put(TestData.Uniform(s.OutputSize, 94));
        Backend.Conv2dForwardBiasActivation(s, xt, Backend.Put(w), Backend.Put(bias), y, Activation.Relu);
        TestData.AssertClose(_reference.Read(ry), Backend.Get(y), Atol, Rtol, $"y {s}");

        Tensor dw = Backend.Put(TestData.Uniform(s.WeightSize, 95)), db = Backend.Put(TestData.Uniform(s.OC, 96));
        Backend.Conv2dBackwardWeightBias(s, xt, Backend.Put(dy), dw, db);
        TestData.AssertClose(_reference.Read(rdw), Backend.Get(dw), SumAtol, Rtol, $"dw {s}");
        TestData.AssertClose(_reference.Read(rdb), Backend.Get(db), SumAtol, Rtol, $"db {s}");
    }

    [Theory]
    [MemberData(nameof(PoolCases))]
    public void Max_pool_backward_with_the_relu_backward_folded_in_matches_reference(Pool2dShape s)
    {
        // Quantised: ties (the first-maximum rule) and exact zeros (the mask's edge) are common.
        var x = TestData.Uniform(s.InputSize, 97).Select(v => MathF.Round(v * 4) / 4).ToArray();
        var dy = TestData.Uniform(s.OutputSize, 98);
        var expected = _reference.Put(new float[s.InputSize]);
        Reference.MaxPoolActivationBackward(s, _reference.Put(x), _reference.Put(dy), expected, Activation.Relu);

        var dx = Backend.Put(TestData.Uniform(s.InputSize, 99));
        Backend.MaxPoolActivationBackward(s, Backend.Put(x), Backend.Put(dy), dx, Activation.Relu);

        TestData.AssertClose(_reference.Read(expected), Backend.Get(dx), Atol, Rtol, $"dx {s}");
    }

    // Every third value set to exactly 0, where ReLU's derivative (taken as 0) cuts the gradient.
    private static float[] WithZeros(float[] values)
    {
        for (var i = 0; i < values.Length; i += 3)
        {
            values[i] = 0f;
        }

        return values;
    }
}
