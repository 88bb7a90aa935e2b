using CommandLine;

namespace GpuTrainer.Cli;

[Verb("study-plan", HelpText = "Study phase 1 ('study plan'): pin the recipe in --out, run (or reuse) the range tests and write the cell manifest cells.tsv.")]
public sealed class StudyPlanVerb : StudyArgs
{
    [Option("study-json", HelpText = "Take the whole recipe from this study.json (as study-slurm and study-k8s write it) instead of the recipe options.")]
    public string? StudyJson { get; set; }
}

[Verb("study-cell", HelpText = "Study phase 2 ('study cell'): train the cells of one array task into the study folder; a finished cell is reused, a cell another worker finished first is left to it.")]
public sealed class StudyCellVerb : DeviceArgs
{
    [Option("out", Required = true, HelpText = "The study folder (with the plan's study.json and cells.tsv).")]
    public string Out { get; set; } = "";

    [Option("index", HelpText = "The array task to train (the manifest's task column). Default: SLURM_ARRAY_TASK_ID, else JOB_COMPLETION_INDEX.")]
    public int? Index { get; set; }
}

[Verb("study-report", HelpText = "Study phase 3 ('study report'): rank the finished cells, list missing or failed ones, write report.md. Exit code 11 when cells are missing, unless --partial.")]
public sealed class StudyReportVerb
{
    [Option("out", Required = true, HelpText = "The study folder.")]
    public string Out { get; set; } = "";

    [Option("partial", HelpText = "Report what has finished and exit 0 even when cells are missing or failed.")]
    public bool Partial { get; set; }
}

[Verb("study-slurm", HelpText = "Write ('study slurm') Slurm scripts for the study: a plan job, the cell array (--array=0-N%K) after it, a report job after that; --submit submits them.")]
public sealed class StudySlurmVerb : StudyArgs
{
    [Option("partition", HelpText = "sbatch --partition. Default: the cluster's default.")]
    public string? Partition { get; set; }

    [Option("time", HelpText = nameof(HelpTexts.SlurmTime), ResourceType = typeof(HelpTexts))]
    public string? Time { get; set; }

    [Option("cpus-per-task", HelpText = nameof(HelpTexts.SlurmCpus), ResourceType = typeof(HelpTexts))]
    public int? CpusPerTask { get; set; }

    [Option("mem", HelpText = nameof(HelpTexts.SlurmMemory), ResourceType = typeof(HelpTexts))]
    public string? Memory { get; set; }

    [Option("gpus", HelpText = nameof(HelpTexts.SlurmGpus), ResourceType = typeof(HelpTexts))]
    public int? Gpus { get; set; }

    [Option("max-parallel", HelpText = nameof(HelpTexts.SlurmMaxParallel), ResourceType = typeof(HelpTexts))]
    public int? MaxParallel { get; set; }

    [Option("command", HelpText = "How the nodes start gputrainer, e.g. 'dotnet /opt/gputrainer/GpuTrainer.Cli.dll'. Default: the way this command was started.")]
    public string? Command { get; set; }

    [Option("scripts", HelpText = "Where the scripts go. Default: <out>/slurm.")]
    public string? Scripts { get; set; }

    [Option("submit", HelpText = "Submit the jobs with sbatch after writing them.")]
    public bool Submit { get; set; }
}

[Verb("study-k8s", HelpText = "Write ('study k8s') Kubernetes manifests for the study: a plan Job, an Indexed Job of the cells, a report Job, on a shared volume claim.")]
public sealed class StudyK8sVerb : StudyArgs
{
    [Option("image", Required = true, HelpText = "The container image that holds gputrainer.")]
    public string Image { get; set; } = "";

    [Option("claim", Required = true, HelpText = "The PersistentVolumeClaim (ReadWriteMany) that holds the study folder; --out must be inside --mount.")]
    public string Claim { get; set; } = "";

    [Option("mount", HelpText = nameof(HelpTexts.PodMount), ResourceType = typeof(HelpTexts))]
    public string? Mount { get; set; }

    [Option("name", HelpText = nameof(HelpTexts.PodName), ResourceType = typeof(HelpTexts))]
    public string? Name { get; set; }

    [Option("command", HelpText = nameof(HelpTexts.PodCommand), ResourceType = typeof(HelpTexts))]
    public string? Command { get; set; }

    [Option("parallelism", HelpText = nameof(HelpTexts.PodParallelism), ResourceType = typeof(HelpTexts))]
    public int? Parallelism { get; set; }

    [Option("backoff-limit", HelpText = nameof(HelpTexts.PodBackoffLimit), ResourceType = typeof(HelpTexts))]
    public int? BackoffLimit { get; set; }

    [Option("cpu", HelpText = nameof(HelpTexts.PodCpu), ResourceType = typeof(HelpTexts))]
    public string? Cpu { get; set; }

    [Option("mem", HelpText = nameof(HelpTexts.PodMemory), ResourceType = typeof(HelpTexts))]
    public string? Memory { get; set; }

    [Option("gpus", HelpText = nameof(HelpTexts.PodGpus), ResourceType = typeof(HelpTexts))]
    public int? Gpus { get; set; }

    [Option("manifests", HelpText = nameof(HelpTexts.PodManifests), ResourceType = typeof(HelpTexts))]
    public string? Manifests { get; set; }
}
