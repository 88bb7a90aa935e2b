using GpuTrainer.Compute;
using GpuTrainer.Compute.Reference;

namespace GpuTrainer.Diagnostics;

/// <summary>
/// Runs every <see cref="IBackend"/> operation on a device backend and on the float64 <see cref="ReferenceBackend"/>
/// with the same seeded random inputs, and compares the device's float32 outputs with the reference's exact
/// float64 ones element by element (see <see cref="Tolerance"/>).
/// </summary>
public sealed partial class BackendSelfTest
{
    private const int Seed = 20_251_128;

    private readonly IBackend _device;
    private readonly ReferenceBackend _reference = new();
    private readonly List<DeviceBuffer> _buffers = [];
    private Random _random = new(Seed);

    /// <param name="device">The backend under test.</param>
    public BackendSelfTest(IBackend device)
    {
        ArgumentNullException.ThrowIfNull(device);
        _device = device;
    }

    /// <summary>The yardstick's name, for the report's header.</summary>
    public string ReferenceName => _reference.Name;

    /// <summary>Checks every operation at <paramref name="size"/>; each result also goes to <paramref name="onCheck"/> as it is made.</summary>
    public IReadOnlyList<KernelCheck> Run(CheckSize size, Action<KernelCheck>? onCheck = null)
    {
        _random = new Random(Seed);
        var cases = SelfTestCases.For(size);
        var checks = new List<Func<KernelCheck>>();
        checks.AddRange(cases.Gemms.Select(s => (Func<KernelCheck>)(() => Gemm(s))));
        foreach (var s in cases.Convs)
        {
            checks.AddRange([() => ConvForward(s), () => ConvBackwardData(s), () => ConvBackwardWeight(s), () => ConvForwardFused(s), () => ConvBackwardWeightBias(s)]);
        }

        foreach (var s in cases.Pools)
        {
            checks.AddRange([() => MaxPoolForward(s), () => MaxPoolBackward(s), () => MaxPoolReluBackward(s), () => AvgPoolForward(s), () => AvgPoolBackward(s)]);
        }

        var b = cases.Batch;
        checks.AddRange(
        [
            () => BiasActivation(b, 6, 28 * 28, Activation.Relu, withBias: true),
            () => BiasActivation(b, 120, 1, Activation.Identity, withBias: true),
            () => BiasActivation(b, 16, 10 * 10, Activation.Relu, withBias: false),
            () => ReluBackward(b * 6 * 28 * 28),
            () => BiasGradient(b, 6, 28 * 28),
            () => BiasGradient(b, 120, 1),
            () => LinearForward(b, 120, 84),
            () => LinearBackward(b, 120, 84),
            () => SoftmaxCrossEntropy(b, 10),
            () => Sgd(cases.Parameters, new SgdHyper(0.05, Momentum: 0.9, Nesterov: true, WeightDecay: 1e-4)),
            () => Sgd(cases.Parameters, new SgdHyper(0.05)),
            () => Adam(cases.Parameters, new AdamHyper(1e-3, Step: 3, WeightDecay: 1e-4)),
            () => Adam(cases.Parameters, new AdamHyper(1e-3, Step: 3, WeightDecay: 1e-2, Decoupled: true)),
            () => FillAndCopy(cases.Parameters),
        ]);

        var results = new List<KernelCheck>();
        foreach (var check in checks)
        {
            var result = check();
            results.Add(result);
            onCheck?.Invoke(result);
        }

        return results;
    }

    private KernelCheck Gemm(GemmShape s)
    {
        var a = Put(Uniform(s.ASize));
        var b = Put(Uniform(s.BSize));
        var c = Put(Uniform(s.CSize));
        Both((k, t) => k.Gemm(s, 0.75f, t(a), t(b), -0.5f, t(c)));
        var name = $"gemm {(s.TransA ? 'T' : 'N')}{(s.TransB ? 'T' : 'N')}";
        var batch = s.Batch > 1 ? $" batch={s.Batch} strided" : "";
        return Check(name, $"M={s.M} N={s.N} K={s.K}{batch}", Tolerance.Sum(s.K), c);
    }

    private KernelCheck ConvForward(Conv2dShape s) => TwoToOne(
        "conv2d forward", Describe(s), Tolerance.Sum((long)s.C * s.KH * s.KW), s.InputSize, s.WeightSize, s.OutputSize,
        (k, x, w, y) => k.Conv2dForward(s, x, w, y));

    private KernelCheck ConvBackwardData(Conv2dShape s) => TwoToOne(
        "conv2d backward-data", Describe(s), Tolerance.Sum((long)s.OC * s.KH * s.KW), s.OutputSize, s.WeightSize, s.InputSize,
        (k, dy, w, dx) => k.Conv2dBackwardData(s, dy, w, dx));

    private KernelCheck ConvBackwardWeight(Conv2dShape s) => TwoToOne(
        "conv2d backward-weight", Describe(s), Tolerance.Sum((long)s.N * s.OutH * s.OutW), s.InputSize, s.OutputSize, s.WeightSize,
        (k, x, dy, dw) => k.Conv2dBackwardWeight(s, x, dy, dw));

    private KernelCheck MaxPoolForward(Pool2dShape s) => OneToOne(
        "max-pool forward", Describe(s), Tolerance.Elementwise, s.InputSize, s.OutputSize, (k, x, y) => k.MaxPoolForward(s, x, y));

    private KernelCheck MaxPoolBackward(Pool2dShape s) => TwoToOne(
        "max-pool backward", Describe(s), Tolerance.Elementwise, s.InputSize, s.OutputSize, s.InputSize,
        (k, x, dy, dx) => k.MaxPoolBackward(s, x, dy, dx));

    private KernelCheck AvgPoolForward(Pool2dShape s) => OneToOne(
        "avg-pool forward", Describe(s), Tolerance.Sum((long)s.KH * s.KW), s.InputSize, s.OutputSize, (k, x, y) => k.AvgPoolForward(s, x, y));

    private KernelCheck AvgPoolBackward(Pool2dShape s) => OneToOne(
        "avg-pool backward", Describe(s), Tolerance.Sum((long)s.KH * s.KW), s.OutputSize, s.InputSize, (k, dy, dx) => k.AvgPoolBackward(s, dy, dx));

    // One random input; the output starts random too, so an operation that skips elements is caught.
    private KernelCheck OneToOne(string name, string shape, Tolerance tolerance, long input, long output, Action<IBackend, Tensor, Tensor> operation)
    {
        var x = Put(Uniform(input));
        var y = Put(Uniform(output));
        Both((k, t) => operation(k, t(x), t(y)));
        return Check(name, shape, tolerance, y);
    }

    // Two random inputs and a random-initialised output, as above.
    private KernelCheck TwoToOne(
        string name, string shape, Tolerance tolerance, long first, long second, long output, Action<IBackend, Tensor, Tensor, Tensor> operation)
    {
        var a = Put(Uniform(first));
        var b = Put(Uniform(second));
        var y = Put(Uniform(output));
        Both((k, t) => operation(k, t(a), t(b), t(y)));
        return Check(name, shape, tolerance, y);
    }

    // x (outer, channels, inner) + bias (channels), then the activation.
    private KernelCheck BiasActivation(int outer, int channels, int inner, Activation activation, bool withBias)
    {
        var x = Put(Uniform((long)outer * channels * inner));
        var bias = withBias ? Put(Uniform(channels)) : default;
        var y = Put(Uniform((long)outer * channels * inner));
        Both((k, t) => k.BiasActivation(t(x), withBias ? t(bias) : default, t(y), outer, channels, inner, activation));
        var name = $"bias{(withBias ? "" : " (none)")} + {activation.ToString().ToLowerInvariant()}";
        return Check(name, $"({outer},{channels},{inner})", Tolerance.Elementwise, y);
    }

    // y is a ReLU output: non-negative with exact zeros.
    private KernelCheck ReluBackward(int count)
    {
        var y = Put(Array.ConvertAll(Uniform(count), v => Math.Max(v, 0f)));
        var dy = Put(Uniform(count));
        var dx = Put(Uniform(count));
        Both((k, t) => k.ActivationBackward(t(y), t(dy), t(dx), count, Activation.Relu));
        return Check("relu backward", $"count={count}", Tolerance.Elementwise, dx);
    }

    private KernelCheck BiasGradient(int outer, int channels, int inner)
    {
        var dy = Put(Uniform((long)outer * channels * inner));
        var db = Put(Uniform(channels));
        Both((k, t) => k.BiasGradient(t(dy), t(db), outer, channels, inner));
        return Check("bias gradient", $"({outer},{channels},{inner})", Tolerance.Sum((long)outer * inner), db);
    }

    // Logits spread over [-4, 4) so that the softmax is far from uniform; stats start at a non-zero sum.
    private KernelCheck SoftmaxCrossEntropy(int rows, int classes)
    {
        var logits = Put(Uniform((long)rows * classes, -4f, 4f));
        var labels = Put([.. Enumerable.Range(0, rows).Select(_ => (float)_random.Next(classes))]);
        var dLogits = Put(Uniform((long)rows * classes));
        var stats = Put([1.5f, 2f]);
        Both((k, t) => k.SoftmaxCrossEntropy(t(logits), t(labels), rows, classes, 1f / rows, t(dLogits), t(stats)));
        return Check("softmax-cross-entropy", $"({rows},{classes}) dLogits + stats", Tolerance.Softmax, dLogits, stats);
    }

    // Plain SGD never reads the momentum buffer; it must come back unchanged.
    private KernelCheck Sgd(int count, SgdHyper hyper)
    {
        var p = Put(Uniform(count));
        var g = Put(Uniform(count));
        var m = Put(Uniform(count));
        var row = new float[OptimizerTable.RowFloats];
        OptimizerTable.Write(row, hyper);
        var table = Put(row);
        Both((k, t) => k.OptimizerStep(t(p), t(g), t(m), t(m), t(table)));
        var name = hyper.Momentum != 0 ? "sgd nesterov + weight decay" : "sgd plain";
        return Check(name, $"{count} params", Tolerance.Elementwise, p, m);
    }

    private KernelCheck Adam(int count, AdamHyper hyper)
    {
        var p = Put(Uniform(count));
        var g = Put(Uniform(count));
        var m = Put(Uniform(count, -0.1f, 0.1f));
        var v = Put(Uniform(count, 0f, 0.01f));
        var row = new float[OptimizerTable.RowFloats];
        OptimizerTable.Write(row, hyper);
        var table = Put(row);
        Both((k, t) => k.OptimizerStep(t(p), t(g), t(m), t(v), t(table)));
        return Check(hyper.Decoupled ? "adamw" : "adam + weight decay", $"{count} params, step {hyper.Step}", Tolerance.Elementwise, p, m, v);
    }

    // Copy most of the second half over the first (views do not overlap), then fill the last quarter.
    private KernelCheck FillAndCopy(int count)
    {
        var half = count / 2;
        var a = Put(Uniform(count));
        Both((k, t) =>
        {
            k.Copy(t(a).Slice(count - half + 1, half - 1), t(a).Slice(0, half - 1));
            k.Fill(t(a).Slice(count - half / 2, half / 2), -0.25f);
        });
        return Check("copy + fill", $"{count} floats", Tolerance.Elementwise, a);
    }

    private float[] Uniform(long count, float lo = -1f, float hi = 1f)
    {
        var values = new float[checked((int)count)];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = lo + (float)_random.NextDouble() * (hi - lo);
        }

        return values;
    }

    // The same values in a fresh buffer on each backend.
    private Pair Put(float[] values)
    {
        var device = _device.Allocate(values.Length);
        var reference = _reference.Allocate(values.Length);
        _buffers.Add(device);
        _buffers.Add(reference);
        _device.Upload(values, device.All);
        _reference.Upload(values, reference.All);
        return new Pair(device.All, reference.All);
    }

    // Runs the operation on the device, then on the reference; the second argument selects each backend's side of a pair.
    private void Both(Action<IBackend, Func<Pair, Tensor>> operation)
    {
        operation(_device, pair => pair.Device);
        operation(_reference, pair => pair.Reference);
    }

    // Downloads every output from both sides, compares, and frees the check's buffers.
    private KernelCheck Check(string name, string shape, Tolerance tolerance, params Pair[] outputs)
    {
        try
        {
            var comparison = new Comparison(tolerance);
            foreach (var output in outputs)
            {
                var actual = new float[output.Device.Length];
                _device.Download(output.Device, actual);
                comparison.Add(_reference.Read(output.Reference), actual);
            }

            return new KernelCheck(name, shape, comparison.MaxAbs, comparison.MaxRel, tolerance, comparison.Passed);
        }
        finally
        {
            _buffers.ForEach(buffer => buffer.Dispose());
            _buffers.Clear();
        }
    }

    private static string Describe(Conv2dShape s) =>
        $"({s.N},{s.C},{s.H},{s.W}) * ({s.OC},{s.C},{s.KH},{s.KW}) s{s.StrideH}x{s.StrideW} p{s.PadH}x{s.PadW}";

    private static string Describe(Pool2dShape s) =>
        $"({s.N},{s.C},{s.H},{s.W}) {s.KH}x{s.KW} s{s.StrideH}x{s.StrideW} p{s.PadH}x{s.PadW}";

    // One input or output on both backends.
    private readonly record struct Pair(Tensor Device, Tensor Reference);
}
