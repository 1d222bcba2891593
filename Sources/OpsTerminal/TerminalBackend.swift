import CNcursesw
import OpsUI
