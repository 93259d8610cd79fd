"""What the image pane shows, computed without Qt: decoded modes, the interpolation strip, the decoded
estimate, the loss's answer in pixel space, samples of the fitted model, and their figures."""
