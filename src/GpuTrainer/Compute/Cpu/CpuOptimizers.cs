using System.Runtime.Intrinsics;

namespace GpuTrainer.Compute.Cpu;

/// <summary>
/// Fused SGD and Adam/AdamW steps over a whole parameter arena (formulas in <see cref="SgdHyper"/> and
/// <see cref="AdamHyper"/>, constants from one <see cref="OptimizerTable"/> row), Vector256 over the bulk; the last partial vector goes through the same
/// vector code on a padded copy, so there is one formula per optimizer.
/// </summary>
internal static unsafe class CpuOptimizers
{
    // An element costs a square root and a division (Adam) on top of its memory traffic: LeNet-5's 61,706 parameters
    // are worth two parts.
    private const int MinElementsPerPart = 1 << 13;
    private const int Lanes = 8;

    /// <summary>One step as <paramref name="row"/> (<see cref="OptimizerTable"/>) says: SGD with s1 as its momentum buffer, Adam with s1 = m and s2 = v, or nothing.</summary>
    public static void Step(float* p, float* grad, float* s1, float* s2, int count, ReadOnlySpan<float> row, CpuParallel parallel)
    {
        switch (row[OptimizerTable.Kind])
        {
            case OptimizerTable.SgdKind:
                var sgd = new SgdRanges(p, grad, s1, new SgdConstants(row));
                parallel.ForRanges(count, MinElementsPerPart, ref sgd);
                break;
            case OptimizerTable.AdamKind:
                var adam = new AdamRanges(p, grad, s1, s2, new AdamConstants(row));
                parallel.ForRanges(count, MinElementsPerPart, ref adam);
                break;
            case OptimizerTable.SkipKind:
                break;
            default:
                throw new ArgumentException($"Unknown optimizer table row kind {row[OptimizerTable.Kind]}.", nameof(row));
        }
    }

    // SGD over the elements [first, end).
    private readonly struct SgdRanges(float* p, float* grad, float* buf, SgdConstants k) : ICpuRange
    {
        public void Run(int first, int end)
        {
            var i = first;
            for (; i <= end - Lanes; i += Lanes)
            {
                SgdLanes(p + i, grad + i, buf + i, k);
            }

            var tail = end - i;
            if (tail > 0)
            {
                float* tp = stackalloc float[Lanes], tg = stackalloc float[Lanes], tb = stackalloc float[Lanes];
                Pad(p + i, tp, tail);
                Pad(grad + i, tg, tail);
                Pad(buf + i, tb, tail);
                SgdLanes(tp, tg, tb, k);
                Unpad(tp, p + i, tail);
                Unpad(tb, buf + i, tail);
            }
        }
    }

    // Adam over the elements [first, end).
    private readonly struct AdamRanges(float* p, float* grad, float* m, float* v, AdamConstants k) : ICpuRange
    {
        public void Run(int first, int end)
        {
            var i = first;
            for (; i <= end - Lanes; i += Lanes)
            {
                AdamLanes(p + i, grad + i, m + i, v + i, k);
            }

            var tail = end - i;
            if (tail > 0)
            {
                float* tp = stackalloc float[Lanes], tg = stackalloc float[Lanes], tm = stackalloc float[Lanes], tv = stackalloc float[Lanes];
                Pad(p + i, tp, tail);
                Pad(grad + i, tg, tail);
                Pad(m + i, tm, tail);
                Pad(v + i, tv, tail);
                AdamLanes(tp, tg, tm, tv, k);
                Unpad(tp, p + i, tail);
                Unpad(tm, m + i, tail);
                Unpad(tv, v + i, tail);
            }
        }
    }

    private readonly struct SgdConstants(ReadOnlySpan<float> row)
    {
        public readonly float Lr = row[OptimizerTable.Lr], Momentum = row[OptimizerTable.Momentum], Undampened = row[OptimizerTable.Undampened];
        public readonly float WeightDecay = row[OptimizerTable.WeightDecay];
        public readonly bool Nesterov = row[OptimizerTable.Nesterov] != 0, FirstStep = row[OptimizerTable.FirstStep] != 0;
    }

    private readonly struct AdamConstants(ReadOnlySpan<float> row)
    {
        public readonly float Beta1 = row[OptimizerTable.Beta1], Beta2 = row[OptimizerTable.Beta2];
        public readonly float OneMinusBeta1 = row[OptimizerTable.OneMinusBeta1], OneMinusBeta2 = row[OptimizerTable.OneMinusBeta2];
        public readonly float StepSize = row[OptimizerTable.StepSize], SqrtBias2 = row[OptimizerTable.SqrtBias2], Eps = row[OptimizerTable.Eps];
        public readonly float WeightDecay = row[OptimizerTable.WeightDecay], Decay = row[OptimizerTable.Decay];
        public readonly bool Decoupled = row[OptimizerTable.Decoupled] != 0;
    }

    // g = grad + wd p; buf = first ? g : mu buf + (1-dampening) g; g = nesterov ? g + mu buf : buf; p -= lr g
    private static void SgdLanes(float* p, float* grad, float* buf, in SgdConstants k)
    {
        var pv = Vector256.Load(p);
        var g = Vector256.Load(grad) + Vector256.Create(k.WeightDecay) * pv;
        if (k.Momentum != 0)
        {
            var b = k.FirstStep ? g : Vector256.Create(k.Momentum) * Vector256.Load(buf) + Vector256.Create(k.Undampened) * g;
            b.Store(buf);
            g = k.Nesterov ? g + Vector256.Create(k.Momentum) * b : b;
        }

        (pv - Vector256.Create(k.Lr) * g).Store(p);
    }

    // Adam: g = grad + wd p; AdamW: p *= 1 - lr wd. m, v moments; p -= stepSize m / (sqrt(v)/sqrtBias2 + eps)
    private static void AdamLanes(float* p, float* grad, float* m, float* v, in AdamConstants k)
    {
        var pv = Vector256.Load(p);
        var g = Vector256.Load(grad);
        if (k.Decoupled)
        {
            pv *= Vector256.Create(k.Decay);
        }
        else
        {
            g += Vector256.Create(k.WeightDecay) * pv;
        }

        var mv = Vector256.Create(k.Beta1) * Vector256.Load(m) + Vector256.Create(k.OneMinusBeta1) * g;
        var vv = Vector256.Create(k.Beta2) * Vector256.Load(v) + Vector256.Create(k.OneMinusBeta2) * g * g;
        mv.Store(m);
        vv.Store(v);
        var denominator = Vector256.Sqrt(vv) / Vector256.Create(k.SqrtBias2) + Vector256.Create(k.Eps);
        (pv - Vector256.Create(k.StepSize) * mv / denominator).Store(p);
    }

    private static void Pad(float* source, float* lanes, int count)
    {
        new Span<float>(lanes, Lanes).Clear();
        new Span<float>(source, count).CopyTo(new Span<float>(lanes, Lanes));
    }

    private static void Unpad(float* lanes, float* destination, int count) =>
        new Span<float>(lanes, count).CopyTo(new Span<float>(destination, count));
}
