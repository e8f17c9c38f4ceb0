import Accelerator
@testable import reram_emu
import Testing

@Suite struct ProgressTests {
    @Test func adaptiveTrialsRaiseTheEstimate() {
        let reporter = ProgressReporter(totalTrials: 8, quiet: true)
        let point = GridPoint(index: 0, levels: .quantized(4), variation: 0.05, dynamicRange: 10)
        for done in 1...4 { reporter.count(StudyProgress(pointsDone: 0, pointCount: 2, point: point, trialsDone: done, trialCount: 4)) }
        #expect(reporter.remainingSeconds(elapsed: 40) == 40)
        // The point adds two trials: 10 planned, 6 done, 4 left at 10 s each.
        for done in 5...6 { reporter.count(StudyProgress(pointsDone: 0, pointCount: 2, point: point, trialsDone: done, trialCount: 6)) }
        #expect(reporter.remainingSeconds(elapsed: 60) == 40)
    }
}

@Suite struct MappingTableTests {
    @Test func foldedBatchNormShowsShortName() {
        #expect(ReportTables.shortNodeName("/features/features.1/BatchNormalization") == "features.1")
        #expect(ReportTables.shortNodeName("bn1") == "bn1")
        #expect(ReportTables.shortNodeName("/block/norm") == "norm")
    }

    @Test func weightLayersShowShortName() {
        #expect(ReportTables.shortNodeName("/features/features.10/Conv") == "features.10")
        #expect(ReportTables.shortNodeName("/classifier/classifier.1/Gemm") == "classifier.1")
        #expect(ReportTables.shortNodeName("fc1") == "fc1")
    }
}
