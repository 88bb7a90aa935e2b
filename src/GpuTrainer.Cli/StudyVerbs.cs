namespace GpuTrainer.Cli;

/// <summary>
/// CommandLineParser has no nested verbs, so the study's phases are the verbs study-plan, study-cell, study-report,
/// study-slurm and study-k8s; "study plan ..." (a phase word after study) is the same as "study-plan ...".
/// </summary>
public static class StudyVerbs
{
    /// <summary>The phase words that may follow "study".</summary>
    public static readonly IReadOnlyList<string> Phases = ["plan", "cell", "report", "slurm", "k8s"];

    /// <summary><paramref name="args"/> with "study PHASE" joined into the verb "study-PHASE".</summary>
    public static string[] Join(string[] args) =>
        args is ["study", var phase, .. var rest] && Phases.Contains(phase) ? [$"study-{phase}", .. rest] : args;
}
