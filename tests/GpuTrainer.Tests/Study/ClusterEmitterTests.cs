using GpuTrainer.Optim;
using System.Text.Json;
using GpuTrainer.Compute;
using GpuTrainer.LrFinder;
using GpuTrainer.Schedules;
using GpuTrainer.Study;
using GpuTrainer.Training;
using Xunit;
using YamlDotNet.RepresentationModel;

namespace GpuTrainer.Tests.Study;

/// <summary>
/// The Slurm scripts and the Kubernetes manifests, read back (the manifests parsed as YAML) and checked field by
/// field; the real Slurm route runs in scripts/slurm-test.sh. Also the array-task index from the environment.
/// </summary>
public sealed class ClusterEmitterTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void SlurmScriptsRunTheArrayAfterThePlanAndTheReportAfterTheArray()
    {
        var folder = _temp.File("study");
        var request = new SlurmRequest(Request(folder, threads: 0)) { Partition = "gpu", Gpus = 1, MaxParallel = 3, CpusPerTask = 6, Program = ["/opt/gt/gputrainer"] };

        var dir = SlurmScripts.Write(request, TextWriter.Null);

        Assert.Equal(Path.Combine(folder, "slurm"), dir);
        var cells = File.ReadAllLines(Path.Combine(dir, "cells.sbatch"));
        Assert.Equal("#!/bin/bash", cells[0]);
        Assert.Contains("#SBATCH --array=0-11%3", cells);   // 2 optimizers x 2 schedules x 3 candidates
        Assert.Contains("#SBATCH --partition=gpu", cells);
        Assert.Contains("#SBATCH --gres=gpu:1", cells);
        Assert.Contains("#SBATCH --cpus-per-task=6", cells);
        Assert.Contains($"#SBATCH --output={Path.Combine(dir, "logs")}/%x-%A_%a.out", cells);
        Assert.Equal($"exec /opt/gt/gputrainer study cell --out {folder} --device cpu --threads 6", cells[^1]);   // threads 0: the job's CPUs

        var plan = File.ReadAllLines(Path.Combine(dir, "plan.sbatch"));
        Assert.Equal($"exec /opt/gt/gputrainer study plan --study-json {folder}/study.json --out {folder} --device cpu --threads 6", plan[^1]);
        Assert.DoesNotContain(plan, l => l.StartsWith("#SBATCH --array", StringComparison.Ordinal));
        var report = File.ReadAllLines(Path.Combine(dir, "report.sbatch"));
        Assert.Equal($"exec /opt/gt/gputrainer study report --out {folder}", report[^1]);
        Assert.DoesNotContain(report, l => l.Contains("--gres", StringComparison.Ordinal));

        var submit = File.ReadAllText(Path.Combine(dir, SlurmScripts.SubmitScript));
        Assert.Contains("plan=$(sbatch --parsable plan.sbatch)", submit, StringComparison.Ordinal);
        Assert.Contains("--dependency=afterok:${plan%%;*} cells.sbatch", submit, StringComparison.Ordinal);
        Assert.Contains("--dependency=afterany:${cells%%;*} report.sbatch", submit, StringComparison.Ordinal);

        // The recipe is pinned: the plan job reads it back, and a folder with another recipe is refused.
        var pinned = StudyPlanner.FromPlanFile(Path.Combine(folder, StudyFolder.PlanFile), DeviceKind.Cpu, 6, folder);
        Assert.Equal(RunJson.Serialize(StudyPlan.From(request.Study)), RunJson.Serialize(StudyPlan.From(pinned)));
        var other = request with { Study = request.Study with { Seed = 2 } };
        Assert.Contains("other settings", Assert.Throws<ArgumentException>(() => SlurmScripts.Write(other, TextWriter.Null)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ShellWordsAreQuotedOnlyWhenTheyNeedIt()
    {
        Assert.Equal("/a/b-c_1.dll", WorkerCommands.ShellQuote("/a/b-c_1.dll"));
        Assert.Equal("'/my study/x'", WorkerCommands.ShellQuote("/my study/x"));
        Assert.Equal("'it'\\''s'", WorkerCommands.ShellQuote("it's"));
        Assert.Equal("'$HOME'", WorkerCommands.ShellQuote("$HOME"));
        Assert.Equal("''", WorkerCommands.ShellQuote(""));
    }

    [Fact]
    public void TheKubernetesCellJobIsIndexedOverEveryTaskOnTheSharedClaim()
    {
        var request = new KubernetesRequest(Request("/study/lenet \"1\"", threads: 4), "registry.example/gputrainer:1.0", "study-pvc")
        {
            Name = "lenet-study", Parallelism = 5, Gpus = 1, ManifestDirectory = _temp.File("k8s"), Program = ["dotnet", "/app/GpuTrainer.Cli.dll"],
        };

        var dir = KubernetesManifests.Write(request, TextWriter.Null);

        var cells = Documents(Path.Combine(dir, "cells.yaml")).Single();
        Assert.Equal("batch/v1", Scalar(cells, "apiVersion"));
        Assert.Equal("Job", Scalar(cells, "kind"));
        Assert.Equal("lenet-study-cells", Scalar(cells, "metadata", "name"));
        Assert.Equal("Indexed", Scalar(cells, "spec", "completionMode"));
        Assert.Equal("12", Scalar(cells, "spec", "completions"));
        Assert.Equal("5", Scalar(cells, "spec", "parallelism"));
        var pod = Map(cells, "spec", "template", "spec");
        Assert.Equal("Never", Scalar(pod, "restartPolicy"));
        var container = (YamlMappingNode)((YamlSequenceNode)pod["containers"]).Single();
        Assert.Equal("registry.example/gputrainer:1.0", Scalar(container, "image"));
        Assert.Equal(["dotnet", "/app/GpuTrainer.Cli.dll", "study", "cell", "--out", "/study/lenet \"1\"", "--device", "cpu", "--threads", "4"], Strings(container["command"]));
        Assert.Equal("1", Scalar(container, "resources", "limits", "nvidia.com/gpu"));
        Assert.Equal("4Gi", Scalar(container, "resources", "requests", "memory"));
        var mount = (YamlMappingNode)((YamlSequenceNode)container["volumeMounts"]).Single();
        Assert.Equal(("study", "/study"), (Scalar(mount, "name"), Scalar(mount, "mountPath")));
        var volume = (YamlMappingNode)((YamlSequenceNode)pod["volumes"]).Single();
        Assert.Equal(("study", "study-pvc"), (Scalar(volume, "name"), Scalar(volume, "persistentVolumeClaim", "claimName")));

        var plan = Documents(Path.Combine(dir, "plan.yaml"));
        Assert.Equal(["ConfigMap", "Job"], plan.Select(d => Scalar(d, "kind")));
        Assert.Equal("lenet-study-recipe", Scalar(plan[0], "metadata", "name"));
        var recipe = Scalar(plan[0], "data", "study.json");
        Assert.Equal(RunJson.Serialize(StudyPlan.From(request.Study)).TrimEnd(), recipe.TrimEnd());
        Assert.Equal(2, JsonDocument.Parse(recipe).RootElement.GetProperty("optimizers").GetArrayLength());
        var planContainer = (YamlMappingNode)((YamlSequenceNode)Map(plan[1], "spec", "template", "spec")["containers"]).Single();
        Assert.Equal(
            ["dotnet", "/app/GpuTrainer.Cli.dll", "study", "plan", "--study-json", "/etc/gputrainer/study.json", "--out", "/study/lenet \"1\"", "--device", "cpu", "--threads", "4"],
            Strings(planContainer["command"]));
        Assert.Equal("lenet-study-recipe", Scalar((YamlMappingNode)((YamlSequenceNode)Map(plan[1], "spec", "template", "spec")["volumes"])[1], "configMap", "name"));
        Assert.False(Map(plan[1], "spec").Children.ContainsKey("completionMode"));

        var report = Documents(Path.Combine(dir, "report.yaml")).Single();
        var reportContainer = (YamlMappingNode)((YamlSequenceNode)Map(report, "spec", "template", "spec")["containers"]).Single();
        Assert.Equal(["dotnet", "/app/GpuTrainer.Cli.dll", "study", "report", "--out", "/study/lenet \"1\""], Strings(reportContainer["command"]));
        Assert.False(Map(reportContainer, "resources", "limits").Children.ContainsKey("nvidia.com/gpu"));
    }

    [Theory]
    [InlineData("/elsewhere/study", "/study", "ok", "must be an absolute path inside the volume's mount path")]
    [InlineData("/study/x", "/study", "Study-X", "must be lower-case letters")]
    [InlineData("/studyx/y", "/study", "ok", "must be an absolute path inside the volume's mount path")]
    public void AKubernetesStudyOutsideTheClaimOrWithABadNameIsRefused(string output, string mount, string name, string fragment)
    {
        var request = new KubernetesRequest(Request(output, threads: 1), "image", "pvc") { MountPath = mount, Name = name, ManifestDirectory = _temp.File("k8s") };
        Assert.Contains(fragment, Assert.Throws<ArgumentException>(() => KubernetesManifests.Write(request, TextWriter.Null)).Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_temp.File("k8s")));
    }

    [Fact]
    public void TheArrayTaskComesFromTheOptionThenSlurmThenKubernetes()
    {
        Func<string, string?> env(params (string Name, string Value)[] vars) => name => vars.FirstOrDefault(v => v.Name == name).Value;
        Assert.Equal(7, CellWorker.TaskIndex(7, env(("SLURM_ARRAY_TASK_ID", "3"))));
        Assert.Equal(3, CellWorker.TaskIndex(null, env(("SLURM_ARRAY_TASK_ID", "3"), ("JOB_COMPLETION_INDEX", "5"))));
        Assert.Equal(5, CellWorker.TaskIndex(null, env(("JOB_COMPLETION_INDEX", "5"))));
        Assert.Contains("No cell index", Assert.Throws<ArgumentException>(() => CellWorker.TaskIndex(null, env())).Message, StringComparison.Ordinal);
        Assert.Contains("'x1'", Assert.Throws<ArgumentException>(() => CellWorker.TaskIndex(null, env(("JOB_COMPLETION_INDEX", "x1")))).Message, StringComparison.Ordinal);
        Assert.Contains("0 or more", Assert.Throws<ArgumentException>(() => CellWorker.TaskIndex(-1, env())).Message, StringComparison.Ordinal);

        Assert.StartsWith("pod ", CellWorker.Current(env(("JOB_COMPLETION_INDEX", "5"))).Description, StringComparison.Ordinal);
        Assert.NotEqual(CellWorker.Current(env()).Id, CellWorker.Current(env()).Id);
    }

    [Fact]
    public void TheManifestRoundTripsEveryRateExactlyAndNamesABadLine()
    {
        var cells = new[] { new StudyCell(0, 0, "sgd", "step", 1, 0.1 + 0.2, 4, "sgd-step-c1-lr3.00e-01"), new StudyCell(1, 0, "adam", "fixed", 2, 1.0 / 3, 4, "adam-fixed-c2-lr3.33e-01") };
        Assert.Equal(cells, CellManifest.Parse(CellManifest.Format(cells), "m"));
        var bad = CellManifest.Format(cells).Replace("\t0.3", "\tx", StringComparison.Ordinal);
        Assert.Contains("m line 2 is not a cell", Assert.Throws<IOException>(() => CellManifest.Parse(bad, "m")).Message, StringComparison.Ordinal);
        Assert.Contains("not a cell manifest", Assert.Throws<IOException>(() => CellManifest.Parse("index\n", "m")).Message, StringComparison.Ordinal);
        var escaping = CellManifest.Format(cells).Replace("sgd-step-c1-lr3.00e-01", "../evil", StringComparison.Ordinal);
        Assert.Throws<IOException>(() => CellManifest.Parse(escaping, "m"));
    }

    private static StudyRequest Request(string output, int threads) => new()
    {
        Optimizers = [OptimizerKind.Sgd, OptimizerKind.Adam],
        Schedules = [NamedSchedule.Of("fixed"), NamedSchedule.Of("step", new ScheduleOptions { StepSize = 1, Gamma = 0.5 })],
        Epochs = 3,
        Batch = 64,
        Seed = 1,
        Sweep = new LrSweepOptions { Candidates = 3 },
        Device = DeviceKind.Cpu,
        Threads = threads,
        OutputDirectory = output,
    };

    private static List<YamlMappingNode> Documents(string path)
    {
        var yaml = new YamlStream();
        using var reader = new StreamReader(path);
        yaml.Load(reader);
        return [.. yaml.Documents.Select(d => (YamlMappingNode)d.RootNode)];
    }

    private static YamlMappingNode Map(YamlMappingNode node, params string[] keys) =>
        keys.Aggregate(node, (n, key) => (YamlMappingNode)n[key]);

    private static string Scalar(YamlMappingNode node, params string[] keys) =>
        ((YamlScalarNode)Map(node, keys[..^1])[keys[^1]]).Value!;

    private static List<string> Strings(YamlNode node) => [.. ((YamlSequenceNode)node).Select(n => ((YamlScalarNode)n).Value!)];
}
