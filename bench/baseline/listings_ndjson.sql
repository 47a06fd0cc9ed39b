read_json('@WORKLOAD@/listings.ndjson', format = 'newline_delimited',
          columns = {id: 'VARCHAR', marketplace: 'VARCHAR', seller_id: 'VARCHAR', title: 'VARCHAR',
                     category: 'VARCHAR', price: 'VARCHAR', moq: 'VARCHAR', updated_at: 'VARCHAR'})
