namespace GpuTrainer.Data.Download;

/// <summary>
/// The data sets `gputrainer data get` knows: MNIST, Fashion-MNIST and Kuzushiji-MNIST, four IDX .gz files each, and
/// CIFAR-10, one .tar.gz of binary batches unpacked after its checksum passes.
/// </summary>
/// <remarks>
/// Lengths and SHA-256 checksums are those TensorFlow Datasets publishes for the same files
/// (tensorflow/datasets, tensorflow_datasets/url_checksums/mnist.txt, fashion_mnist.txt and kmnist.txt).
/// Cross-checks made here: the MNIST lengths are the ones every copy of LeCun's files reports (9,912,422 bytes for
/// the training images, ...); Debian's dataset-fashion-mnist ships the same Fashion-MNIST files re-compressed
/// without the gzip name field, exactly 24 (train) and 23 (t10k) bytes shorter, so its bytes, and hence its
/// checksums, differ from the published ones; nothing here could be checked against a download (no internet).
/// CIFAR-10's binary tarball: TensorFlow Datasets' cifar10.txt lists it with 170,052,171 bytes and the SHA-256 below; the
/// same length is what TensorFlow's CIFAR-10 tutorial prints after downloading it, and the same SHA-256 is pinned by
/// other public downloaders of that file.
/// </remarks>
public static class DataSetCatalog
{
    /// <summary>LeCun, Cortes and Burges' handwritten digits (torchvision's and TensorFlow's mirrors first, the original last).</summary>
    public static DataSetSource Mnist { get; } = new(
        "mnist",
        [
            new Uri("https://ossci-datasets.s3.amazonaws.com/mnist/"),
            new Uri("https://storage.googleapis.com/cvdf-datasets/mnist/"),
            new Uri("http://yann.lecun.com/exdb/mnist/"),
        ],
        [
            new("train-images-idx3-ubyte.gz", 9_912_422, "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609"),
            new("train-labels-idx1-ubyte.gz", 28_881, "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c"),
            new("t10k-images-idx3-ubyte.gz", 1_648_877, "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6"),
            new("t10k-labels-idx1-ubyte.gz", 4_542, "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6"),
        ]);

    /// <summary>Zalando Research's Fashion-MNIST (its S3 site, then its GitHub repository).</summary>
    public static DataSetSource FashionMnist { get; } = new(
        "fashion-mnist",
        [
            new Uri("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"),
            new Uri("https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/"),
        ],
        [
            new("train-images-idx3-ubyte.gz", 26_421_880, "3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84"),
            new("train-labels-idx1-ubyte.gz", 29_515, "a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845"),
            new("t10k-images-idx3-ubyte.gz", 4_422_102, "346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073"),
            new("t10k-labels-idx1-ubyte.gz", 5_148, "67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5"),
        ]);

    /// <summary>ROIS-DS CODH's Kuzushiji-MNIST (its own site is the one public location).</summary>
    public static DataSetSource Kmnist { get; } = new(
        "kmnist",
        [new Uri("http://codh.rois.ac.jp/kmnist/dataset/kmnist/")],
        [
            new("train-images-idx3-ubyte.gz", 18_165_135, "51467d22d8cc72929e2a028a0428f2086b092bb31cfb79c69cc0a90ce135fde4"),
            new("train-labels-idx1-ubyte.gz", 29_497, "e38f9ebcd0f3ebcdec7fc8eabdcdaef93bb0df8ea12bee65224341c8183d8e17"),
            new("t10k-images-idx3-ubyte.gz", 3_041_136, "edd7a857845ad6bb1d0ba43fe7e794d164fe2dce499a1694695a792adfac43c5"),
            new("t10k-labels-idx1-ubyte.gz", 5_120, "20bb9a0ef54c7db3efc55a92eef5582c109615df22683c380526788f98e42a1c"),
        ]);

    /// <summary>Krizhevsky's CIFAR-10, binary version (its author's site is the one public location).</summary>
    public static DataSetSource Cifar10 { get; } = new(
        "cifar10",
        [new Uri("https://www.cs.toronto.edu/~kriz/")],
        [new("cifar-10-binary.tar.gz", 170_052_171, "c4a38c50a1bc5f3a1c5537f2155ab9d68f9f25eb1ed8d9ddda3db29a59bca1dd")],
        Cifar10Reader.Folder);

    /// <summary>Every known data set.</summary>
    public static IReadOnlyList<DataSetSource> All { get; } = [Mnist, FashionMnist, Kmnist, Cifar10];

    /// <summary>The data set called <paramref name="name"/> (case-insensitive), or null.</summary>
    public static DataSetSource? Find(string name) =>
        All.FirstOrDefault(s => s.Name.Equals(name.Trim(), StringComparison.OrdinalIgnoreCase));
}
