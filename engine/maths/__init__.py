"""Numerical building blocks on plain arrays, numpy only: robust statistics (median, geometric median,
Huber, k-means), sharpness measures of images, and the thread settings of the native maths libraries."""
