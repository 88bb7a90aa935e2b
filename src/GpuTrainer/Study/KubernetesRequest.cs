namespace GpuTrainer.Study;

/// <summary>
/// A study as Kubernetes Jobs on a shared volume claim: a plan Job (the recipe in a ConfigMap), an Indexed Job of
/// the cells (completionMode Indexed: each pod trains the array task JOB_COMPLETION_INDEX), and a report Job.
/// </summary>
/// <param name="Study">The study; its output folder is the study folder inside the pods (under <see cref="MountPath"/>),
/// and its device and threads are the pods'.</param>
/// <param name="Image">The container image that holds gputrainer.</param>
/// <param name="Claim">The PersistentVolumeClaim every pod mounts (ReadWriteMany, so pods on several nodes share it).</param>
public sealed record KubernetesRequest(StudyRequest Study, string Image, string Claim)
{
    /// <summary>The Jobs' name prefix (&lt;name&gt;-plan, &lt;name&gt;-cells, &lt;name&gt;-report) and the ConfigMap's (&lt;name&gt;-recipe).</summary>
    public string Name { get; init; } = "gputrainer-study";

    /// <summary>Where the claim is mounted in the pods.</summary>
    public string MountPath { get; init; } = "/study";

    /// <summary>How the pods start gputrainer.</summary>
    public IReadOnlyList<string> Program { get; init; } = ["gputrainer"];

    /// <summary>Cell pods that may run at once (the Indexed Job's parallelism).</summary>
    public int Parallelism { get; init; } = 4;

    /// <summary>Failed pods the cell Job tolerates before it gives up (a failed cell is retried in a new pod).</summary>
    public int BackoffLimit { get; init; } = 4;

    /// <summary>CPU request and limit of each pod, in Kubernetes units ("2", "500m").</summary>
    public string Cpu { get; init; } = "2";

    /// <summary>Memory request and limit of each pod ("4Gi").</summary>
    public string Memory { get; init; } = "4Gi";

    /// <summary>GPUs per pod (nvidia.com/gpu); 0 for none.</summary>
    public int Gpus { get; init; }

    /// <summary>Where the manifests go (plan.yaml, cells.yaml, report.yaml).</summary>
    public string ManifestDirectory { get; init; } = "k8s";

    /// <summary>Throws <see cref="ArgumentException"/> with one sentence naming the first impossible value.</summary>
    public void Validate()
    {
        Study.Validate();
        if (string.IsNullOrWhiteSpace(Image) || string.IsNullOrWhiteSpace(Claim) || Program.Count == 0)
        {
            throw new ArgumentException("A Kubernetes study needs an image, a volume claim and a command.");
        }

        if (!IsName(Name) || Name.Length > 50)
        {
            throw new ArgumentException($"The Job name '{Name}' must be lower-case letters, digits and '-', start with a letter and be at most 50 characters.");
        }

        var mount = MountPath.TrimEnd('/') + "/";
        if (!MountPath.StartsWith('/') || !Study.OutputDirectory!.StartsWith(mount, StringComparison.Ordinal))
        {
            throw new ArgumentException($"The study folder '{Study.OutputDirectory}' must be an absolute path inside the volume's mount path '{MountPath}'.");
        }

        if (Study.DataDirectory is { } data && !data.StartsWith('/'))
        {
            throw new ArgumentException($"The data folder '{data}' must be an absolute path inside the image or the volume.");
        }

        if (Parallelism < 1 || BackoffLimit < 0 || Gpus < 0)
        {
            throw new ArgumentException($"Kubernetes needs a parallelism of at least 1 and a backoff limit and GPU count of 0 or more; got {Parallelism}, {BackoffLimit} and {Gpus}.");
        }
    }

    private static bool IsName(string name) =>
        name.Length > 0 && char.IsAsciiLetterLower(name[0]) && name.All(ch => char.IsAsciiLetterLower(ch) || char.IsAsciiDigit(ch) || ch == '-') && !name.EndsWith('-');
}
