using GpuTrainer.Data;
using Xunit;

namespace GpuTrainer.Tests.Data;

public sealed class DefaultDataTests
{
    [Fact]
    public void LocateFindsTheEmbeddedSampleAboveTheTestBinaries()
    {
        Assert.Equal(RepoPaths.MnistSample, DefaultData.Locate());
    }
}
