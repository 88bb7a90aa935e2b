namespace GpuTrainer.Study;

/// <summary>
/// A study as Slurm jobs: a plan job, a job array of the cells that depends on it (afterok), and a report job after
/// the array (afterany, so it also reports a study whose cells failed). The study folder must be on a file system
/// every node shares.
/// </summary>
/// <param name="Study">The study; its output folder is the shared study folder, and its device and threads are the jobs'.</param>
public sealed record SlurmRequest(StudyRequest Study)
{
    /// <summary>The partition (sbatch --partition); null for the cluster's default.</summary>
    public string? Partition { get; init; }

    /// <summary>The time limit of each job (sbatch --time).</summary>
    public string Time { get; init; } = "01:00:00";

    /// <summary>CPUs per job (sbatch --cpus-per-task); also the CPU backend's threads when the study's are 0 (every core).</summary>
    public int CpusPerTask { get; init; } = 2;

    /// <summary>Memory per job (sbatch --mem).</summary>
    public string Memory { get; init; } = "4G";

    /// <summary>GPUs per job (sbatch --gres=gpu:N); 0 for none.</summary>
    public int Gpus { get; init; }

    /// <summary>Array tasks that may run at once (the K of --array=0-N%K).</summary>
    public int MaxParallel { get; init; } = 4;

    /// <summary>How the nodes start gputrainer; null for the way this process was started.</summary>
    public IReadOnlyList<string>? Program { get; init; }

    /// <summary>Where the scripts go; null for &lt;study folder&gt;/slurm.</summary>
    public string? ScriptDirectory { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> with one sentence naming the first impossible value.</summary>
    public void Validate()
    {
        Study.Validate();
        if (CpusPerTask < 1 || MaxParallel < 1 || Gpus < 0)
        {
            throw new ArgumentException($"Slurm needs at least 1 CPU per task and 1 parallel task, and 0 or more GPUs; got {CpusPerTask}, {MaxParallel} and {Gpus}.");
        }

        foreach (var (name, value) in new[] { ("partition", Partition), ("time", Time), ("memory", Memory) })
        {
            if (value is not null && (value.Length == 0 || value.Any(char.IsWhiteSpace)))
            {
                throw new ArgumentException($"The Slurm {name} '{value}' must be one word.");
            }
        }
    }
}
