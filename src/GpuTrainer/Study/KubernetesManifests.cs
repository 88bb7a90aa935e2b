using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using GpuTrainer.Training;

namespace GpuTrainer.Study;

/// <summary>
/// Writes a study's Kubernetes manifests: plan.yaml (a ConfigMap with the recipe, study.json, and the plan Job),
/// cells.yaml (the Indexed Job: completions = array tasks, parallelism, each pod trains task JOB_COMPLETION_INDEX)
/// and report.yaml (the report Job). Every pod mounts the shared claim. Apply them in that order, waiting for each Job
/// to complete (kubectl wait), since Jobs have no dependencies of their own. Strings are written as YAML
/// double-quoted scalars (JSON string syntax), so no value can break the document.
/// </summary>
public static class KubernetesManifests
{
    /// <summary>The manifests' file names, in the order to apply them.</summary>
    public static readonly IReadOnlyList<string> Files = ["plan.yaml", "cells.yaml", "report.yaml"];

    private const string RecipeMount = "/etc/gputrainer";

    private static readonly JsonSerializerOptions Quoting = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Writes the manifests; returns their folder.</summary>
    public static string Write(KubernetesRequest request, TextWriter log)
    {
        request.Validate();
        var dir = Directory.CreateDirectory(request.ManifestDirectory).FullName;
        var study = request.Study;
        var threads = study.Threads;
        var commands = new WorkerCommands(request.Program, study.OutputDirectory!, study.Device, threads);
        var tasks = StudyPlanner.TaskCount(study);
        var c = CultureInfo.InvariantCulture;

        var recipe = RunJson.Serialize(StudyPlan.From(study));
        var configMap = new StringBuilder()
            .Append("apiVersion: v1\nkind: ConfigMap\nmetadata:\n")
            .Append($"  name: {Q($"{request.Name}-recipe")}\n")
            .Append("data:\n  study.json: |\n")
            .AppendJoin("", recipe.Split('\n').Select(line => $"    {line.TrimEnd('\r')}\n"));
        var plan = Job(request, "plan", commands.Plan($"{RecipeMount}/{StudyFolder.PlanFile}"), specLines: "  backoffLimit: 0\n", recipe: true);
        var cells = Job(request, "cells", commands.Cell(), string.Create(c,
            $"  completionMode: Indexed\n  completions: {tasks}\n  parallelism: {request.Parallelism}\n  backoffLimit: {request.BackoffLimit}\n"), recipe: false);
        var report = Job(request with { Gpus = 0 }, "report", commands.Report(), specLines: "  backoffLimit: 0\n", recipe: false);

        StudyFolder.WriteText(Path.Combine(dir, Files[0]), configMap + "---\n" + plan);
        StudyFolder.WriteText(Path.Combine(dir, Files[1]), cells);
        StudyFolder.WriteText(Path.Combine(dir, Files[2]), report);
        log.WriteLine(string.Create(c, $"k8s: {tasks} indexed completions, at most {request.Parallelism} at once; manifests in {dir} ({string.Join(", ", Files)})"));
        return dir;
    }

    private static string Job(KubernetesRequest request, string role, IReadOnlyList<string> command, string specLines, bool recipe)
    {
        var c = CultureInfo.InvariantCulture;
        var s = new StringBuilder();
        s.Append("apiVersion: batch/v1\nkind: Job\nmetadata:\n");
        s.Append($"  name: {Q($"{request.Name}-{role}")}\n");
        s.Append($"  labels:\n    app.kubernetes.io/name: \"gputrainer\"\n    app.kubernetes.io/instance: {Q(request.Name)}\n");
        s.Append("spec:\n").Append(specLines);
        s.Append("  template:\n    spec:\n      restartPolicy: Never\n      containers:\n");
        s.Append($"        - name: {Q(role)}\n");
        s.Append($"          image: {Q(request.Image)}\n");
        s.Append($"          command: [{string.Join(", ", command.Select(Q))}]\n");
        s.Append("          resources:\n");
        s.Append($"            requests:\n              cpu: {Q(request.Cpu)}\n              memory: {Q(request.Memory)}\n");
        s.Append($"            limits:\n              cpu: {Q(request.Cpu)}\n              memory: {Q(request.Memory)}\n");
        if (request.Gpus > 0)
        {
            s.Append(string.Create(c, $"              nvidia.com/gpu: {request.Gpus}\n"));
        }

        s.Append($"          volumeMounts:\n            - name: \"study\"\n              mountPath: {Q(request.MountPath)}\n");
        if (recipe)
        {
            s.Append($"            - name: \"recipe\"\n              mountPath: {Q(RecipeMount)}\n              readOnly: true\n");
        }

        s.Append($"      volumes:\n        - name: \"study\"\n          persistentVolumeClaim:\n            claimName: {Q(request.Claim)}\n");
        if (recipe)
        {
            s.Append($"        - name: \"recipe\"\n          configMap:\n            name: {Q($"{request.Name}-recipe")}\n");
        }

        return s.ToString();
    }

    /// <summary>A YAML double-quoted scalar.</summary>
    private static string Q(string value) => JsonSerializer.Serialize(value, Quoting);
}
