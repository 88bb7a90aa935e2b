namespace GpuTrainer.Cli;

/// <summary>Distinct exit codes, so scripts can tell failures apart. Documented in the README.</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    public const int Unexpected = 1;
    public const int BadOptions = 2;
    public const int BadData = 3;
    public const int DeviceMissing = 4;
    public const int Diverged = 5;
    public const int OutputExists = 6;
    public const int NoLearningRate = 7;
    public const int CheckFailed = 8;
    public const int StudyIncomplete = 11;
}
