import Peripherals
import Testing

@Suite struct ADCTests {
    /// Uniformly spread currents inside the range: the error power is step^2 / 12.
    @Test(arguments: [4, 6, 8, 10])
    func quantizationNoiseIsStepSquaredOverTwelve(bits: Int) {
        let adc = ADC(resolution: .bits(bits))
        let fullScale: Float = 2e-5
        let count = 200_003
        let currents = (0..<count).map { fullScale * (2 * (Float($0) + 0.5) / Float(count) - 1) }
        var converted = currents
        let clips = converted.withUnsafeMutableBufferPointer {
            adc.convert($0.baseAddress!, count: count, fullScaleAmperes: fullScale)
        }
        let noise = zip(converted, currents).reduce(0.0) { $0 + Double($1.0 - $1.1) * Double($1.0 - $1.1) } / Double(count)
        let step = Double(adc.stepAmperes(fullScaleAmperes: fullScale)!)
        #expect(abs(noise / (step * step / 12) - 1) < 0.05, "noise \(noise) against \(step * step / 12)")
        #expect(clips == ClipCounts(low: 0, high: 0, conversions: count))
    }

    /// A 3-bit ADC has codes -3 ... 3; inputs beyond 3.5 steps clip. The 13 values cover
    /// the vector loop (8 at a time) and its scalar tail.
    @Test func clipCountsAreExact() {
        let adc = ADC(resolution: .bits(3))
        let step: Float = 1e-6
        let steps: [Float] = [-9, -3.6, -3.4, -1, 0, 0.4, 2.6, 3.49, 3.51, 50, -3.51, 4, 1]
        var currents = steps.map { $0 * step }
        let clips = currents.withUnsafeMutableBufferPointer {
            adc.convert($0.baseAddress!, count: steps.count, fullScaleAmperes: 3 * step)
        }
        #expect(clips.low == 3)
        #expect(clips.high == 3)
        #expect(clips.conversions == 13)
        let codes = currents.map { ($0 / step).rounded() }
        #expect(codes == [-3, -3, -3, -1, 0, 0, 3, 3, 3, 3, -3, 3, 1])
    }

    @Test func idealPassesThrough() {
        var currents: [Float] = [1e-6, -3e-5, 7]
        let original = currents
        let clips = currents.withUnsafeMutableBufferPointer {
            ADC(resolution: .ideal).convert($0.baseAddress!, count: 3, fullScaleAmperes: 1e-9)
        }
        #expect(currents == original)
        #expect(clips.low == 0 && clips.high == 0)
    }

    @Test func accumulateAddsScaledCodes() {
        let adc = ADC(resolution: .bits(4))
        let currents: [Float] = Array(repeating: 2.2e-6, count: 9)
        var target = [Float](repeating: 1, count: 9)
        currents.withUnsafeBufferPointer { source in
            target.withUnsafeMutableBufferPointer { t in
                _ = adc.convertAndAccumulate(source.baseAddress!, into: t.baseAddress!, count: 9,
                                             fullScaleAmperes: 7e-6, outputScale: 1e6)
            }
        }
        // Step 1e-6 A: 2.2e-6 A becomes code 2, so each target gains 2e-6 * 1e6 = 2.
        #expect(target.allSatisfy { abs($0 - 3) < 1e-5 })
    }
}

@Suite struct DACTests {
    @Test func bipolarVoltagesKeepSign() {
        let dac = DAC(resolution: .bits(8), readVoltageVolts: 0.2)
        let inputs: [Float] = [-1, -0.5, 0, 0.5, 1, 2, -2, 0.25, 0.1]
        var voltages = [Float](repeating: 0, count: inputs.count)
        let clips = inputs.withUnsafeBufferPointer { x in
            voltages.withUnsafeMutableBufferPointer { v in
                dac.convert(x.baseAddress!, count: inputs.count, fullScale: 1, into: v.baseAddress!)
            }
        }
        #expect(abs(voltages[0] + 0.2) < 1e-7)
        #expect(voltages[2] == 0)
        #expect(abs(voltages[4] - 0.2) < 1e-7)
        #expect(abs(voltages[5] - 0.2) < 1e-7)
        #expect(abs(voltages[6] + 0.2) < 1e-7)
        #expect(clips.high == 1)
        #expect(clips.low == 1)
        // 8 bits: L = 127, so 0.1 V/V steps land within half of 0.2 / 127 V.
        #expect(abs(voltages[8] - 0.02) <= 0.1 / 127 + 1e-7)
    }

    @Test func idealIsLinear() {
        let dac = DAC(resolution: .ideal, readVoltageVolts: 0.5)
        let inputs: [Float] = [3, -1.5]
        var voltages: [Float] = [0, 0]
        inputs.withUnsafeBufferPointer { x in
            voltages.withUnsafeMutableBufferPointer { v in
                _ = dac.convert(x.baseAddress!, count: 2, fullScale: 1.5, into: v.baseAddress!)
            }
        }
        #expect(voltages == [1, -0.5])
    }
}
