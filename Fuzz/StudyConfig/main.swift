// libFuzzer entry point for the study config decoder. StudyConfig.decode throws only
// ConfigError (typed throws), so the fuzzer looks for traps and ASan reports.
//
// A config that decodes has passed validate(), so the run command must be able to build
// the hardware of every grid point from it. The target checks that settings(for:) does
// not throw for the points, or for the first and last points when the grid has more
// than 256, because the grid size is the product of every axis.
@testable import Accelerator
import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<CChar>, _ size: Int) -> CInt {
    guard let config = try? StudyConfig.decode(Data(bytes: data, count: size)) else { return 0 }
    for point in samplePoints(config) {
        do {
            _ = try config.settings(for: point)
        } catch {
            fatalError("a config that passed validation has invalid settings at \(point): \(error)")
        }
    }
    return 0
}

/// Returns every grid point of a small grid, or the points built from the first and from
/// the last value of each axis.
func samplePoints(_ config: StudyConfig) -> [GridPoint] {
    let grid = config.grid
    let ranges = grid.dynamicRangeValues(device: config.device)
    let axes = [grid.levels.count, grid.variation.count, ranges.count, config.tileShapes.count,
                grid.dacResolution?.count ?? 1, grid.adcResolution?.count ?? 1, grid.adcRange?.count ?? 1]
    var count = 1
    for length in axes {
        count = count.multipliedReportingOverflow(by: length).partialValue
        if length > 256 { count = .max }
    }
    if count <= 256 { return config.points }

    func point(last: Bool) -> GridPoint {
        func pick<Value>(_ values: [Value]) -> Value { last ? values[values.count - 1] : values[0] }
        return GridPoint(index: 0, levels: pick(grid.levels), variation: pick(grid.variation),
                         dynamicRange: pick(ranges), tile: pick(config.tileShapes),
                         dacResolution: pick(grid.dacResolution ?? [config.dac.resolution]),
                         adcResolution: pick(grid.adcResolution ?? [config.adc.resolution]),
                         adcRange: pick(grid.adcRange ?? [config.adc.range]))
    }
    return [point(last: false), point(last: true)]
}
