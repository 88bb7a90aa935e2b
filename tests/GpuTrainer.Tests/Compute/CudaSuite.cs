using System.Reflection;
using System.Runtime.ExceptionServices;
using Xunit;
using Xunit.Sdk;

namespace GpuTrainer.Tests.Compute;

/// <summary>
/// Runs an abstract test suite's methods on CUDA. xunit 2.9 cannot skip inherited facts at run time, so rather than
/// subclassing a suite directly (which would fail everywhere without a GPU), a <see cref="CudaTheoryAttribute"/> theory
/// lists the suite's methods with <see cref="Methods{TSuite}"/> and runs each, with all of its data rows, on an instance
/// bound to the CUDA backend; the whole theory is skipped, visibly, where ILGPU sees no CUDA device.
/// </summary>
internal static class CudaSuite
{
    /// <summary>The names of <typeparamref name="TSuite"/>'s facts and theories.</summary>
    public static TheoryData<string> Methods<TSuite>() =>
        new(typeof(TSuite).GetMethods().Where(m => m.GetCustomAttribute<FactAttribute>() is not null).Select(m => m.Name));

    /// <summary>Runs <paramref name="method"/> of <paramref name="suite"/> once per data row (once when it has none).</summary>
    public static void Run<TSuite>(TSuite suite, string method) where TSuite : class
    {
        var test = typeof(TSuite).GetMethod(method)!;
        var rows = test.GetCustomAttributes<DataAttribute>().SelectMany(data => data.GetData(test)).DefaultIfEmpty([]);
        foreach (var row in rows)
        {
            try
            {
                if (test.Invoke(suite, row) is Task task)
                {
                    task.GetAwaiter().GetResult();
                }
            }
            catch (TargetInvocationException e) when (e.InnerException is not null)
            {
                ExceptionDispatchInfo.Throw(e.InnerException);
            }
        }
    }
}
