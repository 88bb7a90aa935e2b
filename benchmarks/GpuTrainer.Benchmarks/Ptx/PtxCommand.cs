using System.Text.Json;
using GpuTrainer.Compute.Ilgpu;

namespace GpuTrainer.Benchmarks.Ptx;

/// <summary>
/// `ptx DIR`: writes DIR/ptx/NAME.ptx for every kernel of <see cref="IlgpuKernelCatalog"/> (sm_90, PTX ISA 7.8)
/// and DIR/kernels.json (name, file, threads per group or null when ILGPU picks it). scripts/ptx-report.sh
/// assembles them with ptxas and writes the static report; no GPU is needed.
/// </summary>
public static class PtxCommand
{
    /// <summary>Runs the verb; returns the process exit code (2 for bad options).</summary>
    /// <param name="args">Exactly one argument: the output folder.</param>
    public static int Run(string[] args)
    {
        if (args.Length != 1)
        {
            Console.Error.WriteLine("gputrainer-benchmarks: usage: ptx DIR");
            return 2;
        }

        var folder = Path.Combine(args[0], "ptx");
        Directory.CreateDirectory(folder);
        var manifest = new List<object>();
        foreach (var (kernel, ptx) in IlgpuKernelCatalog.Ptx(IlgpuKernelCatalog.All))
        {
            File.WriteAllText(Path.Combine(folder, kernel.FileName + ".ptx"), ptx);
            manifest.Add(new { name = kernel.Name, file = kernel.FileName, groupThreads = kernel.GroupThreads });
        }

        File.WriteAllText(Path.Combine(args[0], "kernels.json"), JsonSerializer.Serialize(manifest, new JsonSerializerOptions { WriteIndented = true }));
        Console.WriteLine($"{manifest.Count} kernels written to {folder}");
        return 0;
    }
}
