namespace GpuTrainer.Compute;

/// <summary>
/// Grouped operations: one call runs an operation for every model of a group of K models (see <see cref="GroupTensor"/>;
/// every argument of a call has the same K). Per model each one means exactly its single-model operation on model k's
/// views, with the same shapes, conventions and checks: outputs are overwritten, the loss's stats accumulate.
/// The default implementations here are those loops, run by <see cref="ForEachModel"/>; a backend overrides that to spread
/// the models over its threads (the managed CPU backend), or overrides an operation to run all K models in one launch.
/// A model's parameter slice of the group arena is one view per model at the arena's stride; activations are (K,N,...)
/// with one stride per model; the shared input batch and labels have stride 0.
/// </summary>
public partial interface IBackend
{
    /// <summary>
    /// Runs body(k) for every model k of the views' group (checking that they agree on K). By default one model after
    /// another on the calling thread; a backend may run models at the same time, so bodies must touch only model k's views.
    /// </summary>
    void ForEachModel(Action<int> body, params ReadOnlySpan<GroupTensor> views)
    {
        var models = GroupChecks.Models(views);
        for (var k = 0; k < models; k++)
        {
            body(k);
        }
    }

    /// <summary>Per model k: <see cref="Gemm"/>(shape, alpha, a_k, b_k, beta, c_k).</summary>
    void GroupGemm(in GemmShape shape, float alpha, GroupTensor a, GroupTensor b, float beta, GroupTensor c)
    {
        var s = shape;
        ForEachModel(k => Gemm(s, alpha, a.Model(k), b.Model(k), beta, c.Model(k)), a, b, c);
    }

    /// <summary>Per model k: output_k (N,OC,OH,OW) = conv(input_k (N,C,H,W), weight_k (OC,C,KH,KW)); input may be shared (stride 0).</summary>
    void GroupConv2dForward(in Conv2dShape shape, GroupTensor input, GroupTensor weight, GroupTensor output)
    {
        var s = shape;
        ForEachModel(k => Conv2dForward(s, input.Model(k), weight.Model(k), output.Model(k)), input, weight, output);
    }

    /// <summary>Per model k: dInput_k (N,C,H,W) from dOutput_k (N,OC,OH,OW) and weight_k.</summary>
    void GroupConv2dBackwardData(in Conv2dShape shape, GroupTensor dOutput, GroupTensor weight, GroupTensor dInput)
    {
        var s = shape;
        ForEachModel(k => Conv2dBackwardData(s, dOutput.Model(k), weight.Model(k), dInput.Model(k)), dOutput, weight, dInput);
    }

    /// <summary>Per model k: dWeight_k (OC,C,KH,KW) from input_k (N,C,H,W; may be shared) and dOutput_k (N,OC,OH,OW).</summary>
    void GroupConv2dBackwardWeight(in Conv2dShape shape, GroupTensor input, GroupTensor dOutput, GroupTensor dWeight)
    {
        var s = shape;
        ForEachModel(k => Conv2dBackwardWeight(s, input.Model(k), dOutput.Model(k), dWeight.Model(k)), input, dOutput, dWeight);
    }

    /// <summary>Per model k: output_k (N,C,OH,OW) = window maxima of input_k (N,C,H,W).</summary>
    void GroupMaxPoolForward(in Pool2dShape shape, GroupTensor input, GroupTensor output)
    {
        var s = shape;
        ForEachModel(k => MaxPoolForward(s, input.Model(k), output.Model(k)), input, output);
    }

    /// <summary>Per model k: dInput_k (N,C,H,W) = dOutput_k routed to the window maxima of input_k.</summary>
    void GroupMaxPoolBackward(in Pool2dShape shape, GroupTensor input, GroupTensor dOutput, GroupTensor dInput)
    {
        var s = shape;
        ForEachModel(k => MaxPoolBackward(s, input.Model(k), dOutput.Model(k), dInput.Model(k)), input, dOutput, dInput);
    }

    /// <summary>Per model k: y_k (outer,channels,inner) = act(x_k + bias_k[c]); an empty bias adds nothing.</summary>
    void GroupBiasActivation(GroupTensor x, GroupTensor bias, GroupTensor y, int outer, int channels, int inner, Activation activation) =>
        ForEachModel(k => BiasActivation(x.Model(k), bias.Model(k), y.Model(k), outer, channels, inner, activation), x, bias, y);

    /// <summary>Per model k: dx_k (count) = dy_k * act'(y_k).</summary>
    void GroupActivationBackward(GroupTensor y, GroupTensor dy, GroupTensor dx, int count, Activation activation) =>
        ForEachModel(k => ActivationBackward(y.Model(k), dy.Model(k), dx.Model(k), count, activation), y, dy, dx);

    /// <summary>Per model k: dBias_k (channels) = sums of dy_k (outer,channels,inner) over outer and inner.</summary>
    void GroupBiasGradient(GroupTensor dy, GroupTensor dBias, int outer, int channels, int inner) =>
        ForEachModel(k => BiasGradient(dy.Model(k), dBias.Model(k), outer, channels, inner), dy, dBias);

    /// <summary>
    /// Per model k: the fused softmax cross-entropy of logits_k (rows,classes) against the labels (rows; usually shared):
    /// dLogits_k written, stats_k (2) accumulated.
    /// </summary>
    void GroupSoftmaxCrossEntropy(GroupTensor logits, GroupTensor labels, int rows, int classes, float gradScale, GroupTensor dLogits, GroupTensor stats) =>
        ForEachModel(
            k => SoftmaxCrossEntropy(logits.Model(k), labels.Model(k), rows, classes, gradScale, dLogits.Model(k), stats.Model(k)),
            logits, labels, dLogits, stats);

    /// <summary>
    /// One optimizer step over every model's arena, model k as table[k] says: an <see cref="SgdStep"/> with state1_k as
    /// its momentum buffer, an <see cref="AdamStep"/> with state1_k as m and state2_k as v, or nothing. The table has K rows.
    /// </summary>
    void GroupOptimizerStep(GroupTensor parameters, GroupTensor gradients, GroupTensor state1, GroupTensor state2, ReadOnlySpan<GroupStepHyper> table)
    {
        GroupChecks.Table(table.Length, parameters, gradients, state1, state2);
        var rows = table.ToArray();
        ForEachModel(k => GroupStep(this, rows[k], parameters.Model(k), gradients.Model(k), state1.Model(k), state2.Model(k)), parameters);
    }

    /// <summary>One model's row of <see cref="GroupOptimizerStep"/> through the single-model operations.</summary>
    internal static void GroupStep(IBackend backend, in GroupStepHyper row, Tensor parameters, Tensor gradients, Tensor state1, Tensor state2)
    {
        switch (row.Kind)
        {
            case GroupStepKind.Sgd:
                backend.SgdStep(parameters, gradients, state1, row.Sgd);
                break;
            case GroupStepKind.Adam:
                backend.AdamStep(parameters, gradients, state1, state2, row.Adam);
                break;
            case GroupStepKind.Skip:
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(row), row.Kind, "Unknown group step kind.");
        }
    }
}
