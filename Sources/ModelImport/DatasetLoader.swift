import Accelerator
import Foundation

/// Loads the test and calibration sets a study config names, normalized as it says.
public enum DatasetLoader {
    /// Reads one image set. `images` and `labels` are resolved against `base`.
    public static func load(format: DatasetFormat, images: String, labels: String?, config: DatasetConfig,
                            base: URL, limit: Int?) throws -> Dataset {
        let imageURL = URL(fileURLWithPath: images, relativeTo: base).standardizedFileURL
        let (shape, pixels, classes): ([Int], [UInt8], [Int])
        switch format {
        case .idx:
            guard let labels else {
                throw ImportError(file: imageURL.path, message: "an IDX image file needs its label file")
            }
            (shape, pixels, classes) = try loadIDX(images: imageURL,
                                                   labels: URL(fileURLWithPath: labels, relativeTo: base).standardizedFileURL)
        case .cifar10:
            let batch = try CIFARReader.read(imageURL)
            (shape, pixels, classes) = ([3, 32, 32], batch.pixels, batch.labels)
        }
        guard config.mean.count == shape[0] else {
            throw ImportError(file: imageURL.path, message: "images have \(shape[0]) channels but dataset.mean has \(config.mean.count) values; give one mean and std per channel")
        }
        let dataset = Dataset(name: imageURL.lastPathComponent, shape: shape,
                              pixels: normalize(pixels, shape: shape, mean: config.mean, std: config.std),
                              labels: classes)
        return dataset.prefix(limit)
    }

    private static func loadIDX(images: URL, labels: URL) throws -> ([Int], [UInt8], [Int]) {
        let imageArray = try IDXReader.read(images, expectedRank: 3)
        let labelArray = try IDXReader.read(labels, expectedRank: 1)
        guard imageArray.dimensions[0] == labelArray.dimensions[0] else {
            throw ImportError(file: labels.path, message: "has \(labelArray.dimensions[0]) labels but \(images.lastPathComponent) has \(imageArray.dimensions[0]) images; pair each image file with its own label file")
        }
        if let bad = labelArray.bytes.firstIndex(where: { $0 > 9 }) {
            throw ImportError(file: labels.path, message: "label \(bad) is \(labelArray.bytes[bad]); MNIST labels are 0 to 9")
        }
        return ([1, imageArray.dimensions[1], imageArray.dimensions[2]], imageArray.bytes, labelArray.bytes.map(Int.init))
    }

    /// x = (pixel / 255 - mean[c]) / std[c], computed in double and stored as float.
    static func normalize(_ pixels: [UInt8], shape: [Int], mean: [Double], std: [Double]) -> [Float] {
        let plane = shape[1] * shape[2]
        let channels = shape[0]
        var output = [Float](repeating: 0, count: pixels.count)
        for i in pixels.indices {
            let c = (i / plane) % channels
            output[i] = Float((Double(pixels[i]) / 255 - mean[c]) / std[c])
        }
        return output
    }
}
