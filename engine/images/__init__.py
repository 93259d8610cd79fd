"""What the image pane shows, computed without Qt: decoded modes, the interpolation strip, the decoded
estimate, the loss's answer in pixel space, samples of the fitted model, and their figures."""

# Pictures in the strip between two modes (engine.images.board makes them). Here, so that the image pane can
# lay out its rows before it loads the board, which it needs only for its first pictures.
STRIP = 9
