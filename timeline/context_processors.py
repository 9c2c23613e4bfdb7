from tracker import newsroom as the_newsroom


def newsroom(request):
    return {"newsroom_name": the_newsroom.name()}
