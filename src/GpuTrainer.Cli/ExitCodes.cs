namespace GpuTrainer.Cli;

/// <summary>Distinct exit codes, so scripts can tell failures apart; <see cref="Meanings"/> is the help's "Exit codes" section and the README's.</summary>
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
    public const int DownloadFailed = 9;
    public const int ChecksumMismatch = 10;
    public const int StudyIncomplete = 11;
    public const int SchedulerRefused = 12;
    public const int Interrupted = 130;

    /// <summary>Every code with what it means, in order.</summary>
    public static IReadOnlyList<(int Code, string Meaning)> Meanings { get; } =
    [
        (Ok, "ok"),
        (Unexpected, "unexpected failure (a bug; a stack trace follows)"),
        (BadOptions, "impossible or unknown options"),
        (BadData, "missing, malformed or truncated data files (or an unreadable output file)"),
        (DeviceMissing, "the requested device is absent"),
        (Diverged, "training diverged (the loss became NaN or infinite)"),
        (OutputExists, "the output folder already exists and is not empty"),
        (NoLearningRate, "the range test found no band of falling loss"),
        (CheckFailed, "a self-test kernel failed"),
        (DownloadFailed, "a download failed (HTTP error, refused or dropped connection)"),
        (ChecksumMismatch, "a downloaded file's SHA-256 does not match the published checksum"),
        (StudyIncomplete, "the study has cells without a result (missing or failed; see its report; --partial accepts that)"),
        (SchedulerRefused, "the cluster scheduler refused the study's jobs (sbatch failed)"),
        (Interrupted, "interrupted by Ctrl-C (a checkpoint was written; resume with run --resume)"),
    ];
}
