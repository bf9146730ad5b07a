"""The MkDocs adapter: the plugin's options, its event handlers, and the service that
runs the pipeline for one loaded configuration. Only this package and the commands
import MkDocs.
"""
