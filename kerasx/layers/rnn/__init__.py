from kerasx.layers.rnn.bidirectional import Bidirectional
from kerasx.layers.rnn.gru import GRU, GRUCell
from kerasx.layers.rnn.lstm import LSTM, LSTMCell
from kerasx.layers.rnn.rnn import RNN
from kerasx.layers.rnn.simple_rnn import SimpleRNN, SimpleRNNCell
from kerasx.layers.rnn.stacked_rnn_cells import StackedRNNCells
from kerasx.layers.rnn.time_distributed import TimeDistributed

__all__ = ["Bidirectional", "GRU", "GRUCell", "LSTM", "LSTMCell", "RNN", "SimpleRNN",
           "SimpleRNNCell", "StackedRNNCells", "TimeDistributed"]
