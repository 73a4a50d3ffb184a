"""compile / fit / evaluate / predict (placeholder, replaced below)."""


class Trainer:
    def __init__(self):
        self.compiled = False
