using GpuTrainer.Compute;
using GpuTrainer.Compute.Reference;
using GpuTrainer.Tests.Reference;
using Xunit;

namespace GpuTrainer.Tests.Compute;

/// <summary>
/// Every <see cref="IBackend"/> operation against the float64 <see cref="ReferenceBackend"/> on random inputs with
/// awkward sizes (never multiples of a tile). Each backend runs this whole class through a thin sealed subclass.
/// Shapes stay small so that ILGPU's CPU accelerator, which simulates every GPU thread, runs it quickly.
/// </summary>
public abstract partial class BackendOpsTests
{
    private const double Atol = 2e-5, Rtol = 2e-4;

    private readonly ReferenceBackend _reference = new();

    protected abstract IBackend Backend { get; }

    public static TheoryData<int, int, int, bool, bool, int> GemmCases => new()
    {
        { 7, 13, 9, false, false, 1 },
        { 7, 13, 9, true, false, 3 },
        { 7, 13, 9, false, true, 2 },
        { 7, 13, 9, true, true, 3 },
        { 33, 17, 65, false, false, 1 },
        { 70, 3, 41, false, true, 1 },
        { 1, 45, 130, true, false, 2 },
        { 67, 35, 1, false, false, 1 },
    };

    [Theory]
    [MemberData(nameof(GemmCases))]
    public void Gemm_matches_reference(int m, int n, int k, bool transA, bool transB, int batch)
    {
        // Batches are padded apart so that strides differ from the matrix sizes.
        var shape = new GemmShape(m, n, k, transA, transB, batch, m * k + 3, k * n + 5, m * n + 2);
        var a = TestData.Uniform((int)shape.ASize, 1);
        var b = TestData.Uniform((int)shape.BSize, 2);
        var c = TestData.Uniform((int)shape.CSize, 3);
        var expected = _reference.Put(c);
        _reference.Gemm(shape, 0.75f, _reference.Put(a), _reference.Put(b), -0.5f, expected);

        var ct = Backend.Put(c);
        Backend.Gemm(shape, 0.75f, Backend.Put(a), Backend.Put(b), -0.5f, ct);

        TestData.AssertClose(_reference.Read(expected), Backend.Get(ct), Atol, Rtol, $"C {shape}");
    }

    [Fact]
    public void Gemm_with_zero_beta_ignores_nan_in_c_and_broadcasts_a_zero_stride()
    {
        var shape = new GemmShape(5, 19, 11, Batch: 3, StrideA: 5 * 11, StrideB: 0, StrideC: 5 * 19);
        var a = TestData.Uniform((int)shape.ASize, 4);
        var b = TestData.Uniform((int)shape.BSize, 5);
        var c = Enumerable.Repeat(float.NaN, (int)shape.CSize).ToArray();
        var expected = _reference.Put(c);
        _reference.Gemm(shape, 1f, _reference.Put(a), _reference.Put(b), 0f, expected);

        var ct = Backend.Put(c);
        Backend.Gemm(shape, 1f, Backend.Put(a), Backend.Put(b), 0f, ct);

        TestData.AssertClose(_reference.Read(expected), Backend.Get(ct), Atol, Rtol, "C");
    }

    [Fact]
    public void Gemm_rejects_a_view_that_is_too_short()
    {
        var shape = new GemmShape(4, 4, 4);
        var ex = Assert.Throws<ArgumentException>(() =>
            Backend.Gemm(shape, 1f, Backend.Put(new float[15]), Backend.Put(new float[16]), 0f, Backend.Put(new float[16])));
        Assert.Contains("15", ex.Message, StringComparison.Ordinal);
    }

    public static TheoryData<Conv2dShape> ConvCases => new()
    {
        new Conv2dShape(N: 2, C: 3, H: 11, W: 9, OC: 5, KH: 5, KW: 3, StrideH: 2, StrideW: 1, PadH: 2, PadW: 1),
        new Conv2dShape(N: 3, C: 1, H: 12, W: 12, OC: 6, KH: 5, KW: 5, PadH: 2, PadW: 2),
        new Conv2dShape(N: 2, C: 6, H: 14, W: 14, OC: 16, KH: 5, KW: 5),
        new Conv2dShape(N: 1, C: 2, H: 7, W: 10, OC: 3, KH: 1, KW: 4, StrideH: 3, StrideW: 2, PadH: 0, PadW: 3),
    };

    [Theory]
    [MemberData(nameof(ConvCases))]
    public void Conv2d_forward_and_both_backwards_match_reference(Conv2dShape s)
    {
        var x = TestData.Uniform(s.InputSize, 10);
        var w = TestData.Uniform(s.WeightSize, 11);
        var dy = TestData.Uniform(s.OutputSize, 12);
        Tensor rx = _reference.Put(x), rw = _reference.Put(w), rdy = _reference.Put(dy);
        Tensor ry = _reference.Put(new float[s.OutputSize]), rdx = _reference.Put(new float[s.InputSize]), rdw = _reference.Put(new float[s.WeightSize]);
        _reference.Conv2dForward(s, rx, rw, ry);
        _reference.Conv2dBackwardData(s, rdy, rw, rdx);
        _reference.Conv2dBackwardWeight(s, rx, rdy, rdw);

        var y = Backend.Put(new float[s.OutputSize]);
        Backend.Conv2dForward(s, Backend.Put(x), Backend.Put(w), y);
        TestData.AssertClose(_reference.Read(ry), Backend.Get(y), Atol, Rtol, $"y {s}");

        // Outputs are overwritten: start them dirty.
        var dx = Backend.Put(TestData.Uniform(s.InputSize, 13));
        Backend.Conv2dBackwardData(s, Backend.Put(dy), Backend.Put(w), dx);
        TestData.AssertClose(_reference.Read(rdx), Backend.Get(dx), Atol, Rtol, $"dx {s}");

        var dw = Backend.Put(TestData.Uniform(s.WeightSize, 14));
        Backend.Conv2dBackwardWeight(s, Backend.Put(x), Backend.Put(dy), dw);
        TestData.AssertClose(_reference.Read(rdw), Backend.Get(dw), Atol, Rtol, $"dw {s}");
    }

    public static TheoryData<Pool2dShape> PoolCases => new()
    {
        new Pool2dShape(N: 2, C: 3, H: 8, W: 6, KH: 2, KW: 2, StrideH: 2, StrideW: 2),
        new Pool2dShape(N: 1, C: 4, H: 9, W: 7, KH: 3, KW: 2, StrideH: 2, StrideW: 1, PadH: 1, PadW: 1),
        new Pool2dShape(N: 3, C: 2, H: 5, W: 11, KH: 3, KW: 3, StrideH: 3, StrideW: 2),
    };

    [Theory]
    [MemberData(nameof(PoolCases))]
    public void Pooling_forward_and_backward_match_reference(Pool2dShape s)
    {
        // Quantised inputs make ties common, which checks the first-maximum rule.
        var x = TestData.Uniform(s.InputSize, 20).Select(v => MathF.Round(v * 4) / 4).ToArray();
        var dy = TestData.Uniform(s.OutputSize, 21);
        Tensor rx = _reference.Put(x), rdy = _reference.Put(dy), ry = _reference.Put(new float[s.OutputSize]), rdx = _reference.Put(new float[s.InputSize]);
        Tensor xt = Backend.Put(x), dyt = Backend.Put(dy);

        var y = Backend.Put(new float[s.OutputSize]);
        Backend.MaxPoolForward(s, xt, y);
        _reference.MaxPoolForward(s, rx, ry);
        TestData.AssertClose(_reference.Read(ry), Backend.Get(y), 0, 0, $"max y {s}");

        var dx = Backend.Put(TestData.Uniform(s.InputSize, 22));
        Backend.MaxPoolBackward(s, xt, dyt, dx);
        _reference.MaxPoolBackward(s, rx, rdy, rdx);
        TestData.AssertClose(_reference.Read(rdx), Backend.Get(dx), Atol, Rtol, $"max dx {s}");

        Backend.AvgPoolForward(s, xt, y);
        _reference.AvgPoolForward(s, rx, ry);
        TestData.AssertClose(_reference.Read(ry), Backend.Get(y), Atol, Rtol, $"avg y {s}");

        Backend.AvgPoolBackward(s, dyt, dx);
        _reference.AvgPoolBackward(s, rdy, rdx);
        TestData.AssertClose(_reference.Read(rdx), Backend.Get(dx), Atol, Rtol, $"avg dx {s}");
    }

    [Theory]
    [InlineData(3, 7, 13, Activation.Relu, true)]
    [InlineData(5, 11, 1, Activation.Identity, true)]
    [InlineData(2, 3, 37, Activation.Relu, false)]
    public void Bias_activation_its_backward_and_bias_gradient_match_reference(int outer, int channels, int inner, Activation act, bool withBias)
    {
        var count = outer * channels * inner;
        var x = TestData.Uniform(count, 30);
        var bias = TestData.Uniform(channels, 31);
        var dy = TestData.Uniform(count, 32);

        Tensor ry = _reference.Put(new float[count]), rdy = _reference.Put(dy), rdx = _reference.Put(new float[count]), rdb = _reference.Put(new float[channels]);
        _reference.BiasActivation(_reference.Put(x), withBias ? _reference.Put(bias) : default, ry, outer, channels, inner, act);
        _reference.ActivationBackward(ry, rdy, rdx, count, act);
        _reference.BiasGradient(rdy, rdb, outer, channels, inner);

        var y = Backend.Put(new float[count]);
        Backend.BiasActivation(Backend.Put(x), withBias ? Backend.Put(bias) : default, y, outer, channels, inner, act);
        TestData.AssertClose(_reference.Read(ry), Backend.Get(y), Atol, Rtol, "y");

        var dx = Backend.Put(new float[count]);
        Backend.ActivationBackward(y, Backend.Put(dy), dx, count, act);
        TestData.AssertClose(_reference.Read(rdx), Backend.Get(dx), Atol, Rtol, "dx");

        var db = Backend.Put(TestData.Uniform(channels, 33));
        Backend.BiasGradient(Backend.Put(dy), db, outer, channels, inner);
        TestData.AssertClose(_reference.Read(rdb), Backend.Get(db), 1e-4, Rtol, "db");
    }

    [Fact]
    public void Bias_activation_works_in_place()
    {
        var values = TestData.Uniform(2 * 3 * 5, 34);
        var expected = _reference.Put(new float[values.Length]);
        _reference.BiasActivation(_reference.Put(values), _reference.Put([1f, -1f, 0.5f]), expected, 2, 3, 5, Activation.Relu);

        var x = Backend.Put(values);
        Backend.BiasActivation(x, Backend.Put([1f, -1f, 0.5f]), x, 2, 3, 5, Activation.Relu);
        TestData.AssertClose(_reference.Read(expected), Backend.Get(x), Atol, Rtol, "y");
    }

    [Theory]
    [InlineData(1, 10)]
    [InlineData(37, 10)]
    [InlineData(9, 3)]
    public void Softmax_cross_entropy_matches_reference_and_accumulates_stats(int rows, int classes)
    {
        var logits = TestData.Uniform(rows * classes, 40, -6f, 6f);
        var labels = Enumerable.Range(0, rows).Select(r => (float)((r * 7 + 3) % classes)).ToArray();
        Tensor rd = _reference.Put(new float[rows * classes]), rstats = _reference.Put([0.5f, 2f]);
        _reference.SoftmaxCrossEntropy(_reference.Put(logits), _reference.Put(labels), rows, classes, 1f / rows, rd, rstats);

        var dLogits = Backend.Put(new float[rows * classes]);
        var stats = Backend.Put([0.5f, 2f]);
        Backend.SoftmaxCrossEntropy(Backend.Put(logits), Backend.Put(labels), rows, classes, 1f / rows, dLogits, stats);

        TestData.AssertClose(_reference.Read(rd), Backend.Get(dLogits), 1e-6, 1e-4, "dLogits");
        TestData.AssertClose(_reference.Read(rstats), Backend.Get(stats), 1e-4, 1e-5, "stats");
    }

    [Fact]
    public void Softmax_cross_entropy_is_stable_for_huge_logits()
    {
        float[] logits = [1000f, -1000f, 999f, 0f, 88f, 90f];
        float[] labels = [1f, 0f];
        Tensor rd = _reference.Put(new float[6]), rstats = _reference.Put(new float[2]);
        _reference.SoftmaxCrossEntropy(_reference.Put(logits), _reference.Put(labels), 2, 3, 1f, rd, rstats);
        var dLogits = Backend.Put(new float[6]);
        var stats = Backend.Put(new float[2]);
        Backend.SoftmaxCrossEntropy(Backend.Put(logits), Backend.Put(labels), 2, 3, 1f, dLogits, stats);
        TestData.AssertClose(_reference.Read(rd), Backend.Get(dLogits), 1e-6, 1e-5, "dLogits");
        TestData.AssertClose(_reference.Read(rstats), Backend.Get(stats), 1e-3, 1e-6, "stats");
    }

    [Fact]
    public async Task Softmax_cross_entropy_keeps_accumulating_onto_a_non_finite_loss()
    {
        // A diverged model's loss is NaN; the next batches must still finish (on ILGPU's CPU accelerator a float
        // atomic add onto NaN spun for ever) and the sums stay NaN. 40 rows: many adds onto the same accumulator.
        const int rows = 40, classes = 10;
        var logits = TestData.Uniform(rows * classes, 41, -6f, 6f);
        logits[3] = float.NaN;
        var labels = Enumerable.Range(0, rows).Select(r => (float)(r % classes)).ToArray();
        var dLogits = Backend.Put(new float[rows * classes]);
        var stats = Backend.Put([float.NaN, 0f]);
        var finished = Task.Run(() =>
        {
            Backend.SoftmaxCrossEntropy(Backend.Put(logits), Backend.Put(labels), rows, classes, 1f / rows, dLogits, stats);
            Backend.SoftmaxCrossEntropy(Backend.Put(logits), Backend.Put(labels), rows, classes, 1f / rows, dLogits, stats);
            return Backend.Get(stats);
        });
        var first = await Task.WhenAny(finished, Task.Delay(TimeSpan.FromSeconds(60)));
        Assert.True(first == finished, "the loss kernel did not finish within 60 s once its loss sum was NaN");
        var sums = await finished;
        Assert.True(float.IsNaN(sums[0]), $"loss sum {sums[0]}");
    }

    public static TheoryData<double, double, bool, double, bool> SgdCases => new()
    {
        { 0.0, 0.0, false, 0.0, false },
        { 0.9, 0.0, false, 5e-4, true },
        { 0.9, 0.1, false, 0.0, false },
        { 0.8, 0.0, true, 1e-2, false },
    };

    [Theory]
    [MemberData(nameof(SgdCases))]
    public void Sgd_step_matches_reference(double momentum, double dampening, bool nesterov, double weightDecay, bool firstStep)
    {
        const int count = 1237;
        var p = TestData.Uniform(count, 50);
        var g = TestData.Uniform(count, 51);
        var buf = TestData.Uniform(count, 52);
        var hyper = new SgdHyper(0.05, momentum, dampening, nesterov, weightDecay, firstStep);
        Tensor rp = _reference.Put(p), rbuf = _reference.Put(buf);
        _reference.SgdStep(rp, _reference.Put(g), rbuf, hyper);

        Tensor pt = Backend.Put(p), bt = Backend.Put(buf);
        Backend.SgdStep(pt, Backend.Put(g), bt, hyper);

        TestData.AssertClose(_reference.Read(rp), Backend.Get(pt), 1e-6, 1e-5, "p");
        TestData.AssertClose(_reference.Read(rbuf), Backend.Get(bt), 1e-6, 1e-5, "momentum");
    }

    // Weight decay rows use lr * wd = 5e-3: dropping (or coupling) AdamW's decoupled decay moves p by 5e-3 * |p|,
    // hundreds of times the tolerance (1e-6 + 1e-5 * |p|); with the old lr * wd = 1e-5 it hid inside it.
    [Theory]
    [InlineData(1, 1e-3, 0.0, false)]
    [InlineData(7, 0.05, 0.1, false)]
    [InlineData(3, 0.05, 0.1, true)]
    public void Adam_step_matches_reference(int step, double lr, double weightDecay, bool decoupled)
    {
        const int count = 2053;
        var p = TestData.Uniform(count, 60);
        var g = TestData.Uniform(count, 61);
        var m = TestData.Uniform(count, 62, -0.1f, 0.1f);
        var v = TestData.Uniform(count, 63, 0f, 0.01f);
        var hyper = new AdamHyper(lr, step, WeightDecay: weightDecay, Decoupled: decoupled);
        Tensor rp = _reference.Put(p), rm = _reference.Put(m), rv = _reference.Put(v);
        _reference.AdamStep(rp, _reference.Put(g), rm, rv, hyper);

        Tensor pt = Backend.Put(p), mt = Backend.Put(m), vt = Backend.Put(v);
        Backend.AdamStep(pt, Backend.Put(g), mt, vt, hyper);

        TestData.AssertClose(_reference.Read(rp), Backend.Get(pt), 1e-6, 1e-5, "p");
        TestData.AssertClose(_reference.Read(rm), Backend.Get(mt), 1e-7, 1e-5, "m");
        TestData.AssertClose(_reference.Read(rv), Backend.Get(vt), 1e-8, 1e-5, "v");
    }

    [Theory]
    [InlineData(37, 13, 0, 11)]     // a batch from the start of the order
    [InlineData(37, 13, 29, 8)]     // the last, partial batch
    [InlineData(5, 1, 2, 3)]        // one float per sample
    public void Gather_batch_matches_reference(int samples, int imageLength, int offset, int count)
    {
        var images = TestData.Uniform(samples * imageLength, 70);
        var labels = Enumerable.Range(0, samples).Select(s => (float)(s * 3 % 10)).ToArray();
        // A seeded permutation, so that samples repeat across batches nowhere and appear out of order.
        var order = Enumerable.Range(0, samples).ToArray();
        new Random(71).Shuffle(order);
        var indices = Array.ConvertAll(order, i => (float)i);
        Tensor ri = _reference.Allocate(count * imageLength).All, rl = _reference.Allocate(count).All;
        _reference.GatherBatch(_reference.Put(images), _reference.Put(labels), _reference.Put(indices), offset, count, imageLength, ri, rl);
        double[] expectedImages = _reference.Read(ri), expectedLabels = _reference.Read(rl);

        // Outputs are overwritten and may be longer than the batch: start them dirty, with a tail that must stay.
        var imagesOut = Backend.Put(TestData.Uniform(count * imageLength + 3, 72));
        var labelsOut = Backend.Put(TestData.Uniform(count + 2, 73));
        var tail = Backend.Get(imagesOut)[(count * imageLength)..];
        Backend.GatherBatch(Backend.Put(images), Backend.Put(labels), Backend.Put(indices), offset, count, imageLength, imagesOut, labelsOut);

        var gathered = Backend.Get(imagesOut);
        TestData.AssertClose(expectedImages, gathered.AsSpan(0, count * imageLength), 0, 0, "images");
        TestData.AssertClose(expectedLabels, Backend.Get(labelsOut).AsSpan(0, count), 0, 0, "labels");
        Assert.Equal(tail, gathered[(count * imageLength)..]);
    }

    [Fact]
    public void Gather_batch_rejects_mismatched_views_naming_them()
    {
        Tensor images = Backend.Put(new float[5 * 4]), labels = Backend.Put(new float[5]), indices = Backend.Put(new float[5]);
        var ex = Assert.Throws<ArgumentException>(() =>
            Backend.GatherBatch(images, labels, indices, 0, 2, 3, Backend.Put(new float[6]), Backend.Put(new float[2])));
        Assert.Contains("'images'", ex.Message, StringComparison.Ordinal);
        ex = Assert.Throws<ArgumentException>(() =>
            Backend.GatherBatch(images, labels, indices, 4, 2, 4, Backend.Put(new float[8]), Backend.Put(new float[2])));
        Assert.Contains("'indices'", ex.Message, StringComparison.Ordinal);
        ex = Assert.Throws<ArgumentException>(() =>
            Backend.GatherBatch(images, labels, indices, 0, 2, 4, Backend.Put(new float[7]), Backend.Put(new float[2])));
        Assert.Contains("'imagesOut'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fill_copy_and_slices_address_the_right_elements()
    {
        var buffer = Backend.Allocate(10);
        Backend.Fill(buffer.Slice(2, 5), 3f);
        Backend.Copy(buffer.Slice(3, 2), buffer.Slice(8, 2));
        Assert.Equal([0f, 0f, 3f, 3f, 3f, 3f, 3f, 0f, 3f, 3f], Backend.Get(buffer.All));
    }
}
