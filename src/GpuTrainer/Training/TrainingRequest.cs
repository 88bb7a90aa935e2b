using GpuTrainer.Compute;

namespace GpuTrainer.Training;

/// <summary>
/// What every request that trains (<see cref="RunRequest"/>, <see cref="LrFinder.LrFindRequest"/>,
/// <see cref="Study.StudyRequest"/>) shares: the common recipe, the data, the device and where to write. Each default
/// is a constant here (the CLI's help shows it); each check is made where the request is resolved into
/// <see cref="TrainingOptions"/>, so a program using the library gets the same one-sentence errors as the CLI.
/// </summary>
public abstract record TrainingRequest
{
    /// <summary>Default <see cref="Batch"/>.</summary>
    public const int DefaultBatch = Study.ReferenceStudy.Batch;

    /// <summary>Default <see cref="Momentum"/> (PyTorch's: none).</summary>
    public const double DefaultMomentum = 0;

    /// <summary>Default <see cref="WeightDecay"/>.</summary>
    public const double DefaultWeightDecay = 0;

    /// <summary>Default <see cref="Seed"/>.</summary>
    public const int DefaultSeed = 1;

    /// <summary>Batch size (--batch).</summary>
    public int Batch { get; init; } = DefaultBatch;

    /// <summary>SGD momentum (--momentum); refused for Adam, which has its own moment estimates.</summary>
    public double Momentum { get; init; } = DefaultMomentum;

    /// <summary>L2 weight decay, decoupled for AdamW (--weight-decay).</summary>
    public double WeightDecay { get; init; } = DefaultWeightDecay;

    /// <summary>Seed of initialisation and shuffling (--seed): the same seed gives the same numbers.</summary>
    public int Seed { get; init; } = DefaultSeed;

    /// <summary>An MNIST-format directory (--data); null for the embedded sample (data/mnist-sample).</summary>
    public string? DataDirectory { get; init; }

    /// <summary>Which backend runs it (--device).</summary>
    public DeviceKind Device { get; init; } = Backends.DefaultDevice;

    /// <summary>Threads for the managed CPU backend (--threads); 0 for every core.</summary>
    public int Threads { get; init; } = Backends.DefaultThreads;

    /// <summary>The output folder (--out); null for the request's default under runs/ (see <see cref="RunFolder.DefaultPath"/>).</summary>
    public string? OutputDirectory { get; init; }

    /// <summary><paramref name="request"/> with this request's shared settings (a study's range tests and runs take the study's).</summary>
    protected T Shared<T>(T request) where T : TrainingRequest => (T)((TrainingRequest)request with
    {
        Batch = Batch,
        Momentum = Momentum,
        WeightDecay = WeightDecay,
        Seed = Seed,
        DataDirectory = DataDirectory,
        Device = Device,
        Threads = Threads,
        OutputDirectory = OutputDirectory,
    });

    /// <summary>The recipe shared by every run of this request, checked, with <paramref name="optimizer"/> and a placeholder schedule.</summary>
    /// <exception cref="OptionsException">The batch is below 1, or momentum is asked of an optimizer other than SGD.</exception>
    protected TrainingOptions Recipe(Optim.OptimizerKind optimizer, double lr, int epochs)
    {
        var recipe = new TrainingOptions
        {
            Optimizer = optimizer,
            Schedule = new Schedules.FixedLr(lr),
            Epochs = epochs,
            Batch = Batch,
            Momentum = Momentum,
            WeightDecay = WeightDecay,
            Seed = Seed,
        };
        recipe.Validate();
        return recipe;
    }
}
