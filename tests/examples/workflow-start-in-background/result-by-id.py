# Checks that the returned ID finds the workflow and its result.
response = on_upload("cat-video")
handle = DBOS.retrieve_workflow(response["workflow_id"])
assert handle.get_result() == "cat-video.mp4"
assert upload_status(response["workflow_id"]) == "SUCCESS"
DBOS.destroy()
