"""What the views say to stay safe: files in the way of report and compare, classes left out of a figure."""

MESSAGES = {
    "views.files.link_in_the_way": "a symbolic link is in the way (kerasdiag never writes through a link)",
    "views.files.folder_in_the_way": "a folder is in the way (a file is needed there)",
    "views.files.special_in_the_way": "a pipe, socket or device is in the way (a file is needed there)",
    "views.files.names_taken": "{first} to {last} are all files kerasdiag did not write",
    "views.files.beside": "{name} in {folder} was not written by kerasdiag: kept it, and wrote {new} beside it.",
    "figure.probabilities.classes_drawn": (
        "{drawn} of {total} classes drawn (those with the most samples); {rest} more not drawn"
    ),
}
