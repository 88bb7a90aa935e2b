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

    [Option("time", HelpText = "sbatch --time of each job. Default 01:00:00.")]
    public string? Time { get; set; }

    [Option("cpus-per-task", HelpText = "sbatch --cpus-per-task; also the CPU backend's threads when --threads is 0. Default 2.")]
    public int? CpusPerTask { get; set; }

    [Option("mem", HelpText = "sbatch --mem of each job. Default 4G.")]
    public string? Memory { get; set; }

    [Option("gpus", HelpText = "GPUs per plan and cell job (--gres=gpu:N). Default 0.")]
    public int? Gpus { get; set; }

    [Option("max-parallel", HelpText = "Array tasks running at once (the K of --array=0-N%K). Default 4.")]
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

    [Option("mount", HelpText = "Where the claim is mounted in the pods. Default /study.")]
    public string? Mount { get; set; }

    [Option("name", HelpText = "Name prefix of the Jobs and the ConfigMap. Default gputrainer-study.")]
    public string? Name { get; set; }

    [Option("command", HelpText = "How the pods start gputrainer. Default gputrainer.")]
    public string? Command { get; set; }

    [Option("parallelism", HelpText = "Cell pods running at once. Default 4.")]
    public int? Parallelism { get; set; }

    [Option("backoff-limit", HelpText = "Failed cell pods tolerated before the cell Job gives up. Default 4.")]
    public int? BackoffLimit { get; set; }

    [Option("cpu", HelpText = "CPU request and limit per pod. Default 2.")]
    public string? Cpu { get; set; }

    [Option("mem", HelpText = "Memory request and limit per pod. Default 4Gi.")]
    public string? Memory { get; set; }

    [Option("gpus", HelpText = "nvidia.com/gpu per plan and cell pod. Default 0.")]
    public int? Gpus { get; set; }

    [Option("manifests", HelpText = "Where the manifests go. Default ./k8s.")]
    public string? Manifests { get; set; }
}
