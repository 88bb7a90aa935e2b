using CommandLine;
using GpuTrainer.Compute;
using GpuTrainer.Training;

namespace GpuTrainer.Cli;

/// <summary>
/// Options of every verb that trains; they fill the <see cref="TrainingRequest"/> part of its request. An option's default is
/// the library's (<see cref="RecipeDefaults"/>), named once in its attribute: the parser sets it.
/// </summary>
public abstract class TrainArgs : DeviceArgs
{
    [Option("data", HelpText = "Directory of MNIST-format IDX files (train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz], t10k-...) or of CIFAR-10's binary batches (data_batch_1..5.bin, test_batch.bin, or their cifar-10-batches-bin folder), or a name 'data get' downloaded. Default: the embedded sample data/mnist-sample.")]
    public string? Data { get; set; }

    [Option("model", HelpText = nameof(HelpTexts.Model), ResourceType = typeof(HelpTexts))]
    public string? Model { get; set; }

    [Option("batch", Default = RecipeDefaults.Batch, HelpText = "Batch size.")]
    public int Batch { get; set; }

    [Option("momentum", Default = RecipeDefaults.Momentum, HelpText = "SGD momentum (PyTorch's default: none).")]
    public double Momentum { get; set; }

    [Option("weight-decay", Default = RecipeDefaults.WeightDecay, HelpText = "L2 weight decay (decoupled for adamw).")]
    public double WeightDecay { get; set; }

    [Option("seed", Default = RecipeDefaults.Seed, HelpText = "Seed for initialisation and shuffling; the same seed gives the same run.")]
    public int Seed { get; set; }

    [Option("out", HelpText = "Output folder. Default: runs/<time>-<opt>-<sched> (lr-find: runs/<time>-lr-find-<opt>; study: runs/study-<time>). An existing non-empty folder is refused, except by study, which resumes the study in it and reuses its finished runs.")]
    public string? Out { get; set; }

    /// <summary><paramref name="request"/> with these options' shared settings.</summary>
    public T Fill<T>(T request) where T : TrainingRequest => (T)((TrainingRequest)request with
    {
        Batch = Batch,
        Momentum = Momentum,
        WeightDecay = WeightDecay,
        Seed = Seed,
        DataDirectory = Data,
        Model = Model ?? Nn.ModelDescription.DefaultName,
        Device = Backends.Parse(Device),
        Threads = Threads,
        OutputDirectory = Out,
    });
}
