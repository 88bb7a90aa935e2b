using GpuTrainer.Compute;
using GpuTrainer.Study;

namespace GpuTrainer.Cli;

/// <summary>The study's phases and cluster emitters: each turns its options into a library call.</summary>
public static class StudyPhaseCommands
{
    /// <summary>`study plan`.</summary>
    public static int Plan(StudyPlanVerb o, TextWriter output)
    {
        var request = o.StudyJson is { } file
            ? StudyPlanner.FromPlanFile(file, Backends.Parse(o.Device), o.Threads, o.Out)
            : StudyCommand.Request(o);
        StudyPlanner.Plan(request, output, progress: true);
        return ExitCodes.Ok;
    }

    /// <summary>`study cell`.</summary>
    public static int Cell(StudyCellVerb o, TextWriter output)
    {
        var task = CellWorker.TaskIndex(o.Index, Environment.GetEnvironmentVariable);
        StudyCellRunner.Run(o.Out, task, Backends.Parse(o.Device), o.Threads, output, progress: true);
        return ExitCodes.Ok;
    }

    /// <summary>`study report`.</summary>
    public static int Report(StudyReportVerb o, TextWriter output)
    {
        StudyReporter.Report(o.Out, output, o.Partial);
        return ExitCodes.Ok;
    }

    /// <summary>`study slurm`.</summary>
    public static int Slurm(StudySlurmVerb o, TextWriter output)
    {
        var r = new SlurmRequest(SharedRequest(o));
        r = r with
        {
            Partition = o.Partition,
            Time = o.Time ?? r.Time,
            CpusPerTask = o.CpusPerTask ?? r.CpusPerTask,
            Memory = o.Memory ?? r.Memory,
            Gpus = o.Gpus ?? r.Gpus,
            MaxParallel = o.MaxParallel ?? r.MaxParallel,
            Program = o.Command is null ? null : Words(o.Command),
            ScriptDirectory = o.Scripts,
        };
        var dir = SlurmScripts.Write(r, output);
        if (o.Submit)
        {
            output.WriteLine(SlurmScripts.Submit(dir));
        }

        return ExitCodes.Ok;
    }

    /// <summary>`study k8s`.</summary>
    public static int Kubernetes(StudyK8sVerb o, TextWriter output)
    {
        var r = new KubernetesRequest(SharedRequest(o), o.Image, o.Claim);
        r = r with
        {
            MountPath = o.Mount ?? r.MountPath,
            Name = o.Name ?? r.Name,
            Program = o.Command is null ? r.Program : Words(o.Command),
            Parallelism = o.Parallelism ?? r.Parallelism,
            BackoffLimit = o.BackoffLimit ?? r.BackoffLimit,
            Cpu = o.Cpu ?? r.Cpu,
            Memory = o.Memory ?? r.Memory,
            Gpus = o.Gpus ?? r.Gpus,
            ManifestDirectory = o.Manifests ?? r.ManifestDirectory,
        };
        KubernetesManifests.Write(r, output);
        return ExitCodes.Ok;
    }

    private static StudyRequest SharedRequest(StudyArgs o) => StudyCommand.Request(o).OnSharedStorage();

    private static string[] Words(string command) => command.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
