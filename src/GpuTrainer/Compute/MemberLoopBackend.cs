namespace GpuTrainer.Compute;

/// <summary>
/// The <see cref="IBackend"/> surface of a backend that computes one member at a time (the managed CPU backend and the
/// float64 reference): every operation checks that its views agree on K, then runs the backend's one-member operation
/// (the <c>...Member</c> methods, which receive one-member views) for each member through <see cref="ForMembers{T}"/>:
/// one after another here, spread over threads where a backend overrides it. So a member of a group computes exactly
/// what it computes alone. The fused operations' per-member defaults are their definitions, the composition of the
/// unfused ones (see IBackend.Fused.cs); a backend overrides one to do the same arithmetic in fewer passes. Each member
/// call is a struct, so running an operation allocates nothing.
/// </summary>
public abstract class MemberLoopBackend : IBackend
{
    /// <summary>One member's share of an operation: runs the operation on member <paramref name="k"/>'s views.</summary>
    protected interface IMemberOp
    {
        void Run(MemberLoopBackend backend, int k);
    }

    /// <inheritdoc/>
    public abstract string Name { get; }

    /// <inheritdoc/>
    public abstract DeviceKind Kind { get; }

    /// <inheritdoc/>
    public abstract DeviceBuffer Allocate(int length);

    /// <inheritdoc/>
    public void Upload(ReadOnlySpan<float> source, Tensor destination) => UploadMember(source, One(destination, nameof(destination)));

    /// <inheritdoc/>
    public void Download(Tensor source, Span<float> destination) => DownloadMember(One(source, nameof(source)), destination);

    /// <inheritdoc/>
    public abstract void Synchronize();

    /// <inheritdoc/>
    public abstract void Dispose();

    /// <inheritdoc/>
    public void Fill(Tensor destination, float value) => Each(new FillOp(destination, value), destination);

    /// <inheritdoc/>
    public void Copy(Tensor source, Tensor destination) => Each(new CopyOp(source, destination), source, destination);

    /// <inheritdoc/>
    public void Gemm(in GemmShape shape, float alpha, Tensor a, Tensor b, float beta, Tensor c) => Each(new GemmOp(shape, alpha, a, b, beta, c), a, b, c);

    /// <inheritdoc/>
    public void Conv2dForward(in Conv2dShape shape, Tensor input, Tensor weight, Tensor output) =>
        Each(new ConvForwardOp(shape, input, weight, output), input, weight, output);

    /// <inheritdoc/>
    public void Conv2dBackwardData(in Conv2dShape shape, Tensor dOutput, Tensor weight, Tensor dInput) =>
        Each(new ConvBackwardDataOp(shape, dOutput, weight, dInput), dOutput, weight, dInput);

    /// <inheritdoc/>
    public void Conv2dBackwardWeight(in Conv2dShape shape, Tensor input, Tensor dOutput, Tensor dWeight) =>
        Each(new ConvBackwardWeightOp(shape, input, dOutput, dWeight), input, dOutput, dWeight);

    /// <inheritdoc/>
    public void MaxPoolForward(in Pool2dShape shape, Tensor input, Tensor output) => Each(new PoolOp(shape, false, input, default, output), input, output);

    /// <inheritdoc/>
    public void MaxPoolBackward(in Pool2dShape shape, Tensor input, Tensor dOutput, Tensor dInput) =>
        Each(new PoolBackwardOp(shape, input, dOutput, dInput, null), input, dOutput, dInput);

    /// <inheritdoc/>
    public void AvgPoolForward(in Pool2dShape shape, Tensor input, Tensor output) => Each(new PoolOp(shape, true, input, default, output), input, output);

    /// <inheritdoc/>
    public void AvgPoolBackward(in Pool2dShape shape, Tensor dOutput, Tensor dInput) =>
        Each(new PoolOp(shape, true, default, dOutput, dInput), dOutput, dInput);

    /// <inheritdoc/>
    public void BiasActivation(Tensor x, Tensor bias, Tensor y, int outer, int channels, int inner, Activation activation) =>
        Each(new BiasActivationOp(x, bias, y, outer, channels, inner, activation), x, bias, y);

    /// <inheritdoc/>
    public void ActivationBackward(Tensor y, Tensor dy, Tensor dx, int count, Activation activation) =>
        Each(new ActivationBackwardOp(y, dy, dx, count, activation), y, dy, dx);

    /// <inheritdoc/>
    public void BiasGradient(Tensor dy, Tensor dBias, int outer, int channels, int inner) =>
        Each(new BiasGradientOp(dy, dBias, outer, channels, inner), dy, dBias);

    /// <inheritdoc/>
    public void SoftmaxCrossEntropy(Tensor logits, Tensor labels, int rows, int classes, float gradScale, Tensor dLogits, Tensor stats) =>
        Each(new LossOp(logits, labels, rows, classes, gradScale, dLogits, stats), logits, labels, dLogits, stats);

    /// <inheritdoc/>
    public void GatherBatch(Tensor images, Tensor labels, Tensor indices, int offset, int count, int imageLength, Tensor imagesOut, Tensor labelsOut)
    {
        GatherChecks.Validate(images, labels, indices, offset, count, imageLength, imagesOut, labelsOut);
        GatherBatchMember(images, labels, indices, offset, count, imageLength, imagesOut, labelsOut);
    }

    /// <inheritdoc/>
    public void OptimizerStep(Tensor parameters, Tensor gradients, Tensor state1, Tensor state2, Tensor table)
    {
        OptimizerTable.Check(parameters, gradients, state1, state2, table);
        Each(new OptimizerOp(parameters, gradients, state1, state2, table), parameters, gradients, state1, state2, table);
    }

    /// <inheritdoc/>
    public void Conv2dForwardBiasActivation(in Conv2dShape shape, Tensor input, Tensor weight, Tensor bias, Tensor output, Activation activation) =>
        Each(new ConvForwardBiasActivationOp(shape, input, weight, bias, output, activation), input, weight, bias, output);

    /// <inheritdoc/>
    public void Conv2dBackwardWeightBias(in Conv2dShape shape, Tensor input, Tensor dOutput, Tensor dWeight, Tensor dBias) =>
        Each(new ConvBackwardWeightBiasOp(shape, input, dOutput, dWeight, dBias), input, dOutput, dWeight, dBias);

    /// <inheritdoc/>
    public void LinearForward(int batch, int inFeatures, int outFeatures, Tensor x, Tensor weight, Tensor bias, Tensor y, Activation activation) =>
        Each(new LinearForwardOp(batch, inFeatures, outFeatures, x, weight, bias, y, activation), x, weight, bias, y);

    /// <inheritdoc/>
    public void LinearBackward(
        int batch, int inFeatures, int outFeatures, Tensor x, Tensor weight, Tensor dy, Tensor dWeight, Tensor dBias, Tensor dx, Activation inputActivation) =>
        Each(new LinearBackwardOp(batch, inFeatures, outFeatures, x, weight, dy, dWeight, dBias, dx, inputActivation), x, weight, dy, dWeight, dBias, dx);

    /// <inheritdoc/>
    public void MaxPoolActivationBackward(in Pool2dShape shape, Tensor input, Tensor dOutput, Tensor dInput, Activation inputActivation) =>
        Each(new PoolBackwardOp(shape, input, dOutput, dInput, inputActivation), input, dOutput, dInput);

    /// <summary>Runs op.Run(this, k) for every member k in [0, members): one after another unless a backend overrides it.</summary>
    protected virtual void ForMembers<T>(int members, ref T op) where T : struct, IMemberOp
    {
        for (var k = 0; k < members; k++)
        {
            op.Run(this, k);
        }
    }

    // The one-member operations: each receives one-member views and means what the IBackend operation means for one model.
    protected abstract void UploadMember(ReadOnlySpan<float> source, Tensor destination);

    protected abstract void DownloadMember(Tensor source, Span<float> destination);

    protected abstract void FillMember(Tensor destination, float value);

    protected abstract void CopyMember(Tensor source, Tensor destination);

    protected abstract void GemmMember(in GemmShape shape, float alpha, Tensor a, Tensor b, float beta, Tensor c);

    protected abstract void Conv2dForwardMember(in Conv2dShape shape, Tensor input, Tensor weight, Tensor output);

    protected abstract void Conv2dBackwardDataMember(in Conv2dShape shape, Tensor dOutput, Tensor weight, Tensor dInput);

    protected abstract void Conv2dBackwardWeightMember(in Conv2dShape shape, Tensor input, Tensor dOutput, Tensor dWeight);

    protected abstract void MaxPoolForwardMember(in Pool2dShape shape, Tensor input, Tensor output);

    protected abstract void MaxPoolBackwardMember(in Pool2dShape shape, Tensor input, Tensor dOutput, Tensor dInput);

    protected abstract void AvgPoolForwardMember(in Pool2dShape shape, Tensor input, Tensor output);

    protected abstract void AvgPoolBackwardMember(in Pool2dShape shape, Tensor dOutput, Tensor dInput);

    protected abstract void BiasActivationMember(Tensor x, Tensor bias, Tensor y, int outer, int channels, int inner, Activation activation);

    protected abstract void ActivationBackwardMember(Tensor y, Tensor dy, Tensor dx, int count, Activation activation);

    protected abstract void BiasGradientMember(Tensor dy, Tensor dBias, int outer, int channels, int inner);

    protected abstract void SoftmaxCrossEntropyMember(Tensor logits, Tensor labels, int rows, int classes, float gradScale, Tensor dLogits, Tensor stats);

    /// <summary>Called once per batch with checked one-member views (see <see cref="GatherChecks"/>).</summary>
    protected abstract void GatherBatchMember(
        Tensor images, Tensor labels, Tensor indices, int offset, int count, int imageLength, Tensor imagesOut, Tensor labelsOut);

    /// <summary>One member's optimizer step; <paramref name="row"/> is its table row (<see cref="OptimizerTable"/>), lengths are checked.</summary>
    protected abstract void OptimizerStepMember(Tensor parameters, Tensor gradients, Tensor state1, Tensor state2, Tensor row);

    /// <summary>Conv2dForward, then BiasActivation over (N, OC, OH*OW).</summary>
    protected virtual void Conv2dForwardBiasActivationMember(in Conv2dShape shape, Tensor input, Tensor weight, Tensor bias, Tensor output, Activation activation)
    {
        Conv2dForwardMember(shape, input, weight, output);
        BiasActivationMember(output, bias, output, shape.N, shape.OC, shape.OutH * shape.OutW, activation);
    }

    /// <summary>BiasGradient over (N, OC, OH*OW), then Conv2dBackwardWeight.</summary>
    protected virtual void Conv2dBackwardWeightBiasMember(in Conv2dShape shape, Tensor input, Tensor dOutput, Tensor dWeight, Tensor dBias)
    {
        BiasGradientMember(dOutput, dBias, shape.N, shape.OC, shape.OutH * shape.OutW);
        Conv2dBackwardWeightMember(shape, input, dOutput, dWeight);
    }

    /// <summary>y = x W^T (a GEMM), then BiasActivation over (batch, outFeatures, 1).</summary>
    protected virtual void LinearForwardMember(int batch, int inFeatures, int outFeatures, Tensor x, Tensor weight, Tensor bias, Tensor y, Activation activation)
    {
        GemmMember(new GemmShape(batch, outFeatures, inFeatures, TransB: true), 1f, x, weight, 0f, y);
        BiasActivationMember(y, bias, y, batch, outFeatures, 1, activation);
    }

    /// <summary>BiasGradient, dW = dy^T x, and (unless dx is empty) dx = dy W followed by the input activation's backward.</summary>
    protected virtual void LinearBackwardMember(
        int batch, int inFeatures, int outFeatures, Tensor x, Tensor weight, Tensor dy, Tensor dWeight, Tensor dBias, Tensor dx, Activation inputActivation)
    {
        BiasGradientMember(dy, dBias, batch, outFeatures, 1);
        GemmMember(new GemmShape(outFeatures, inFeatures, batch, TransA: true), 1f, dy, x, 0f, dWeight);
        if (!dx.IsEmpty)
        {
            GemmMember(new GemmShape(batch, inFeatures, outFeatures), 1f, dy, weight, 0f, dx);
            if (inputActivation != Activation.Identity)
            {
                ActivationBackwardMember(x, dx, dx, batch * inFeatures, inputActivation);
            }
        }
    }

    /// <summary>MaxPoolBackward, then the input activation's backward over dInput.</summary>
    protected virtual void MaxPoolActivationBackwardMember(in Pool2dShape shape, Tensor input, Tensor dOutput, Tensor dInput, Activation inputActivation)
    {
        MaxPoolBackwardMember(shape, input, dOutput, dInput);
        if (inputActivation != Activation.Identity)
        {
            ActivationBackwardMember(input, dInput, dInput, shape.InputSize, inputActivation);
        }
    }

    // Checks that the views agree on K, then runs the op for each member (a lone model too: a backend that queues a group's
    // operations runs them before a lone model's).
    private void Each<T>(T op, params ReadOnlySpan<Tensor> views) where T : struct, IMemberOp => ForMembers(Tensor.MembersOf(views), ref op);

    private static Tensor One(Tensor view, string name) => view.Members == 1
        ? view
        : throw new ArgumentException($"Tensor '{name}' has {view.Members} members; host transfers take one member's view.", name);

    private readonly record struct FillOp(Tensor Y, float Value) : IMemberOp
    {
        public void Run(MemberLoopBackend b, int k) => b.FillMember(Y.Member(k), Value);
    }

    private readonly record struct CopyOp(Tensor X, Tensor Y) : IMemberOp
    {
        public void Run(MemberLoopBackend b, int k) => b.CopyMember(X.Member(k), Y.Member(k));
    }

    private readonly record struct GemmOp(GemmShape S, float Alpha, Tensor A, Tensor B, float Beta, Tensor C) : IMemberOp
    {
        public void Run(MemberLoopBackend b, int k) => b.GemmMember(S, Alpha, A.Member(k), B.Member(k), Beta, C.Member(k));
    }

    private readonly record struct ConvForwardOp(Conv2dShape S, Tensor X, Tensor W, Tensor Y) : IMemberOp
    {
        public void Run(MemberLoopBackend b, int k) => b.Conv2dForwardMember(S, X.Member(k), W.Member(k), Y.Member(k));
    }

    private readonly record struct ConvBackwardDataOp(Conv2dShape S, Tensor DY, Tensor W, Tensor DX) : IMemberOp
    {
        public void Run(MemberLoopBackend b, int k) => b.Conv2dBackwardDataMember(S, DY.Member(k), W.Member(k), DX.Member(k));
    }

    private readonly record struct ConvBackwardWeightOp(Conv2dShape S, Tensor X, Tensor DY, Tensor DW) : IMemberOp
    {
        public void Run(MemberLoopBackend b, int k) => b.Conv2dBackwardWeightMember(S, X.Member(k), DY.Member(k), DW.Member(k));
    }

    // Max forward (X, Y), average forward (X, Y) or average backward (DY, Y = dx).
    private readonly record struct PoolOp(Pool2dShape S, bool Average, Tensor X, Tensor DY, Tensor Y) : IMemberOp
    {
        public void Run(MemberLoopBackend b, int k)
        {
            if (!Average)
            {
                b.MaxPoolForwardMember(S, X.Member(k), Y.Member(k));
            }
            else if (X.IsEmpty)
            {
                b.AvgPoolBackwardMember(S, DY.Member(k), Y.Member(k));
            }
            else
            {
                b.AvgPoolForwardMember(S, X.Member(k), Y.Member(k));
            }
        }
    }

    // Max-pool backward, with an input activation's backward folded in when one is given.
    private readonly record struct PoolBackwardOp(Pool2dShape S, Tensor X, Tensor DY, Tensor DX, Activation? Folded) : IMemberOp
    {
        public void Run(MemberLoopBackend b, int k)
        {
            if (Folded is { } activation)
            {
                b.MaxPoolActivationBackwardMember(S, X.Member(k), DY.Member(k), DX.Member(k), activation);
            }
            else
            {
                b.MaxPoolBackwardMember(S, X.Member(k), DY.Member(k), DX.Member(k));
            }
        }
    }

    private readonly record struct BiasActivationOp(Tensor X, Tensor Bias, Tensor Y, int Outer, int Channels, int Inner, Activation Act) : IMemberOp
    {
        public void Run(MemberLoopBackend b, int k) => b.BiasActivationMember(X.Member(k), Bias.Member(k), Y.Member(k), Outer, Channels, Inner, Act);
    }

    private readonly record struct ActivationBackwardOp(Tensor Y, Tensor DY, Tensor DX, int Count, Activation Act) : IMemberOp
    {
        public void Run(MemberLoopBackend b, int k) => b.ActivationBackwardMember(Y.Member(k), DY.Member(k), DX.Member(k), Count, Act);
    }

    private readonly record struct BiasGradientOp(Tensor DY, Tensor DBias, int Outer, int Channels, int Inner) : IMemberOp
    {
        public void Run(MemberLoopBackend b, int k) => b.BiasGradientMember(DY.Member(k), DBias.Member(k), Outer, Channels, Inner);
    }

    private readonly record struct LossOp(Tensor Logits, Tensor Labels, int Rows, int Classes, float Scale, Tensor DLogits, Tensor Stats) : IMemberOp
    {
        public void Run(MemberLoopBackend b, int k) =>
            b.SoftmaxCrossEntropyMember(Logits.Member(k), Labels.Member(k), Rows, Classes, Scale, DLogits.Member(k), Stats.Member(k));
    }

    private readonly record struct OptimizerOp(Tensor P, Tensor G, Tensor S1, Tensor S2, Tensor Table) : IMemberOp
    {
        public void Run(MemberLoopBackend b, int k) => b.OptimizerStepMember(P.Member(k), G.Member(k), S1.Member(k), S2.Member(k), Table.Member(k));
    }

    private readonly record struct ConvForwardBiasActivationOp(Conv2dShape S, Tensor X, Tensor W, Tensor Bias, Tensor Y, Activation Act) : IMemberOp
    {
        public void Run(MemberLoopBackend b, int k) => b.Conv2dForwardBiasActivationMember(S, X.Member(k), W.Member(k), Bias.Member(k), Y.Member(k), Act);
    }

    private readonly record struct ConvBackwardWeightBiasOp(Conv2dShape S, Tensor X, Tensor DY, Tensor DW, Tensor DB) : IMemberOp
    {
        public void Run(MemberLoopBackend b, int k) => b.Conv2dBackwardWeightBiasMember(S, X.Member(k), DY.Member(k), DW.Member(k), DB.Member(k));
    }

    private readonly record struct LinearForwardOp(int N, int In, int Out, Tensor X, Tensor W, Tensor Bias, Tensor Y, Activation Act) : IMemberOp
    {
        public void Run(MemberLoopBackend b, int k) => b.LinearForwardMember(N, In, Out, X.Member(k), W.Member(k), Bias.Member(k), Y.Member(k), Act);
    }

    private readonly record struct LinearBackwardOp(
        int N, int In, int Out, Tensor X, Tensor W, Tensor DY, Tensor DW, Tensor DB, Tensor DX, Activation InputAct) : IMemberOp
    {
        public void Run(MemberLoopBackend b, int k) =>
            b.LinearBackwardMember(N, In, Out, X.Member(k), W.Member(k), DY.Member(k), DW.Member(k), DB.Member(k), DX.Member(k), InputAct);
    }
}
