/// Bulk conversion of little-endian byte ranges, the layout of TensorProto `raw_data` and of
/// packed fixed-width protobuf fields, into Swift arrays.
///
/// Each function decodes `range.count / elementSize` values and ignores trailing bytes that
/// do not fill a whole element, so callers check the length first. On little-endian hosts
/// the bytes are copied in one block. Elsewhere each element is loaded and byte-swapped.
enum LittleEndianDecoding {
    static func floats(_ bytes: [UInt8], _ range: Range<Int>) -> [Float] {
        #if _endian(little)
        return copyElements(bytes, range, as: Float.self)
        #else
        return integers(bytes, range, as: UInt32.self).map(Float.init(bitPattern:))
        #endif
    }

    static func doubles(_ bytes: [UInt8], _ range: Range<Int>) -> [Double] {
        #if _endian(little)
        return copyElements(bytes, range, as: Double.self)
        #else
        return integers(bytes, range, as: UInt64.self).map(Double.init(bitPattern:))
        #endif
    }

    static func integers<Integer: FixedWidthInteger & BitwiseCopyable>(
        _ bytes: [UInt8], _ range: Range<Int>, as type: Integer.Type
    ) -> [Integer] {
        #if _endian(little)
        return copyElements(bytes, range, as: Integer.self)
        #else
        let size = MemoryLayout<Integer>.size
        let count = range.count / size
        return bytes.withUnsafeBytes { buffer in
            (0..<count).map { index in
                let offset = range.lowerBound + index * size
                return Integer(littleEndian: buffer.loadUnaligned(fromByteOffset: offset, as: Integer.self))
            }
        }
        #endif
    }

    /// Copies whole elements from `range` into a new array without conversion, which is
    /// correct only when the host byte order is little-endian.
    private static func copyElements<Element: BitwiseCopyable>(
        _ bytes: [UInt8], _ range: Range<Int>, as type: Element.Type
    ) -> [Element] {
        precondition(range.lowerBound >= 0 && range.upperBound <= bytes.count, "range must lie inside the buffer")
        let size = MemoryLayout<Element>.size
        let count = range.count / size
        let byteRange = range.lowerBound..<(range.lowerBound + count * size)
        return bytes.withUnsafeBytes { buffer in
            [Element](unsafeUninitializedCapacity: count) { destination, initializedCount in
                UnsafeMutableRawBufferPointer(destination).copyMemory(from: UnsafeRawBufferPointer(rebasing: buffer[byteRange]))
                initializedCount = count
            }
        }
    }
}
