from kerasx.layers.rnn.bidirectional import Bidirectional
from kerasx.layers.rnn.conv_lstm1d import ConvLSTM1D
from kerasx.layers.rnn.conv_lstm2d import ConvLSTM2D
from kerasx.layers.rnn.conv_lstm3d import ConvLSTM3D
from kerasx.layers.rnn.gru import GRU, GRUCell
from kerasx.layers.rnn.lstm import LSTM, LSTMCell
from kerasx.layers.rnn.rnn import RNN
from kerasx.layers.rnn.simple_rnn import SimpleRNN, SimpleRNNCell
from kerasx.layers.rnn.stacked_rnn_cells import StackedRNNCells
from kerasx.layers.rnn.time_distributed import TimeDistributed

__all__ = ["Bidirectional", "ConvLSTM1D", "ConvLSTM2D", "ConvLSTM3D", "GRU", "GRUCell", "LSTM", "LSTMCell", "RNN", "SimpleRNN",
           "SimpleRNNCell", "StackedRNNCells", "TimeDistributed"]
